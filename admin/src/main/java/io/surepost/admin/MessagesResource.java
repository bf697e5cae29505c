package io.surepost.admin;

import io.surepost.message.MessageId;
import io.surepost.journey.JourneyEvent;
import io.surepost.store.DeadLetterRecord;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.FailoverStore;
import io.surepost.store.JourneyStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /messages/{id}}: the journey of one message, from every node that handled it:
 * accepted (when, where, from whom), stored (Original or the failover table), moved from the
 * failover table, each delivery attempt (node, HTTP status or error, duration), and how it
 * ended: {@code delivered}, {@code dead-lettered} (with the reason) or {@code waiting} (where).
 */
@RequestScoped
@Path("/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

    /** A step: {@code status} is absent when 0, {@code durationMillis} when -1. */
    public record Step(Instant at, String event, String node, Integer status, Long durationMillis, String detail) {
    }

    /** How the journey stands: delivered, dead-lettered or waiting, and where or why. */
    public record End(String state, String detail) {
    }

    public record MessageJourney(String messageId, List<Step> steps, End end) {
    }

    @EJB
    private JourneyStore journeys;

    @EJB
    private FailoverStore failover;

    @EJB
    private DeadLetterStore deadLetters;

    @GET
    @Path("/{messageId}")
    public MessageJourney journey(@PathParam("messageId") String messageId) {
        if (!MessageId.mayBe(messageId)) {
            throw ApiException.notFound("There is no message '" + Text.shown(messageId) + "' (message ids are what Proxy1's"
                    + " X-Surepost-Message-Id header gave).");
        }
        List<JourneyEvent> events = journeys.of(messageId);
        List<DeadLetterRecord> dead = deadLetters.ofMessage(messageId);
        boolean inFailover = failover.holds(messageId);
        if (events.isEmpty() && dead.isEmpty() && !inFailover) {
            throw ApiException.notFound("Surepost has no journey of message " + messageId + ": it was never accepted, or longer ago"
                    + " than surepost.journey.retention.days (7 by default), or the journey is switched off (surepost.journey.enabled).");
        }
        List<Step> steps = events.stream().map(e -> new Step(e.at(), e.event(), e.node(), e.status() == 0 ? null : e.status(),
                e.durationMillis() < 0 ? null : e.durationMillis(), e.detail())).toList();
        return new MessageJourney(messageId, steps, end(events, dead, inFailover));
    }

    static End end(List<JourneyEvent> events, List<DeadLetterRecord> dead, boolean inFailover) {
        if (inFailover) {
            return new End("waiting", "in the failover table, until the broker takes it");
        }
        if (!dead.isEmpty()) {
            DeadLetterRecord d = dead.get(dead.size() - 1);
            return new End("dead-lettered", "dead letter " + d.getSequence() + " of " + d.getProcessor() + ": " + d.getReason());
        }
        List<String> delivered = new ArrayList<>();
        String last = "";
        for (JourneyEvent e : events) {
            if (e.event().equals(JourneyEvent.Kind.DELIVERED)) {
                delivered.add(e.detail() + " (HTTP " + e.status() + ")");
            }
            if (!e.event().equals(JourneyEvent.Kind.DELIVERED)) {
                last = e.event();
            }
        }
        if (!delivered.isEmpty()) {
            return new End("delivered", String.join("; ", delivered));
        }
        if (last.equals(JourneyEvent.Kind.DELETED)) {
            return new End("deleted", "an operator deleted it");
        }
        return new End("waiting", "in the Original store, for its " + (last.equals(JourneyEvent.Kind.RETRY) ? "next attempt"
                : last.equals(JourneyEvent.Kind.HELD) ? "processor to be activated" : "delivery"));
    }
}
