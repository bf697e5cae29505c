package io.surepost.admin;

import io.surepost.store.FailoverRecord;
import io.surepost.store.FailoverStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * {@code GET /failover?page=} and {@code GET /failover/{id}}: the rows waiting in the failover
 * table (oldest first, the order the failover processor moves them in). Read-only: the
 * failover processor moves them back once the broker takes messages.
 */
@RequestScoped
@Path("/failover")
@Produces(MediaType.APPLICATION_JSON)
public class FailoverResource {

    /** A row in a list. */
    public record Summary(long id, String messageId, Instant storedAt, String storedOn, Instant receivedAt, String targetStore,
                          int moveAttempts, String lastError, String soapAction, int size) {
    }

    /** A row with its headers and envelope. */
    public record Detail(long id, String messageId, Instant storedAt, String storedOn, Instant receivedAt, String targetStore,
                         int moveAttempts, String lastError, String soapAction, String contentType, int size, String envelope) {
    }

    @EJB
    private FailoverStore store;

    @GET
    public Paging.Page<Summary> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size);
        return paging.of(store.page(paging.index(), paging.size()).stream().map(FailoverResource::summary).toList(), store.count());
    }

    @GET
    @Path("/{id}")
    public Detail show(@PathParam("id") String id) {
        long key = Text.id("failover row", id);
        return store.find(key).map(FailoverResource::detail).orElseThrow(() -> ApiException.notFound("There is no failover row " + key
                + ": it was moved back to the broker, or never existed (GET /surepost/api/failover lists them)."));
    }

    private static Summary summary(FailoverRecord r) {
        var m = r.toMessage();
        return new Summary(r.getSequence(), r.getMessageId(), r.getStoredAt(), r.getStoredOn(), m.receivedAt(), r.getTargetStore(),
                r.getAttempts(), r.getLastError(), m.soapAction(), m.envelope().length);
    }

    private static Detail detail(FailoverRecord r) {
        var m = r.toMessage();
        return new Detail(r.getSequence(), r.getMessageId(), r.getStoredAt(), r.getStoredOn(), m.receivedAt(), r.getTargetStore(),
                r.getAttempts(), r.getLastError(), m.soapAction(), m.contentType(), m.envelope().length, Envelopes.text(m));
    }
}
