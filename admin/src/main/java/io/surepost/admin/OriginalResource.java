package io.surepost.admin;

import io.surepost.forwarding.Processors;
import io.surepost.journey.Journey;
import io.surepost.journey.JourneyEvent;
import io.surepost.message.LogText;
import io.surepost.message.MessageId;
import io.surepost.store.BrokerQueues;
import io.surepost.store.BrokerUnavailableException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /original?page=} browses the Original store on this node's broker without
 * consuming (in the topic layout, {@code ?processor=} names the subscription, the
 * ForwardingProcessor's by default); {@code DELETE /original/{messageId}} removes a message
 * from it (from every subscription, in the topic layout). A message a consumer holds at that
 * moment (being delivered) is not removed: 404 says so, and a retry after its attempt removes it.
 */
@RequestScoped
@Path("/original")
@Produces(MediaType.APPLICATION_JSON)
public class OriginalResource {

    /** What a delete removed. */
    public record Removed(String messageId, long removed, List<String> from) {
    }

    @EJB
    private BrokerQueues broker;

    @Inject
    private Processors processors;

    @Inject
    private AuditLog audit;

    @Inject
    private Journey journey;

    @Context
    private SecurityContext security;

    @GET
    public Paging.Page<BrokerQueues.Browsed> browse(@QueryParam("processor") String processor, @QueryParam("page") String page,
                                                    @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size);
        String queue = queueOf(processor);
        List<BrokerQueues.Browsed> items = onBroker(() -> broker.browse(queue, paging.index() * paging.size(), paging.size()));
        return paging.of(items, onBroker(() -> broker.figures(queue).depth()));
    }

    @DELETE
    @Path("/{messageId}")
    public Removed delete(@PathParam("messageId") String messageId) {
        if (!MessageId.mayBe(messageId)) {
            throw ApiException.notFound("There is no message '" + Text.shown(messageId) + "' (message ids are what Proxy1's"
                    + " X-Surepost-Message-Id header gave).");
        }
        long removed = 0;
        List<String> from = new ArrayList<>();
        for (String queue : queues()) {
            long n = onBroker(() -> broker.remove(queue, messageId));
            if (n > 0) {
                removed += n;
                from.add(queue);
            }
        }
        audit.change(security, "delete from Original", List.of(LogText.escape(messageId)),
                removed == 0 ? "not found" : "removed from " + from);
        if (removed == 0) {
            throw ApiException.notFound("Message " + messageId + " is not waiting in the Original store: it was delivered,"
                    + " is being delivered right now, or is in another store (GET /surepost/api/stores).");
        }
        journey.record(messageId, JourneyEvent.Kind.DELETED, "removed from " + from + " by " + AuditLog.who(security));
        return new Removed(messageId, removed, from);
    }

    private List<String> queues() {
        return processors.layout().topic() ? processors.names() : List.of("Original");
    }

    private String queueOf(String processor) {
        if (!processors.layout().topic()) {
            return "Original";
        }
        if (processor == null || processor.isBlank()) {
            return Processors.FORWARDING;
        }
        if (!processors.names().contains(processor)) {
            throw ApiException.badRequest("processor must be one of " + processors.names() + ", not '" + Text.shown(processor) + "'.");
        }
        return processor;
    }

    private static <T> T onBroker(Supplier<T> call) {
        try {
            return call.get();
        } catch (BrokerUnavailableException e) { // an application exception: the container hands it over as it is
            throw ApiException.unavailable("The broker cannot be read now (" + e.getMessage() + "); try again once it is up (GET /surepost/api/stores).");
        }
    }
}
