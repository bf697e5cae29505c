package io.surepost.admin;

import io.surepost.journey.Journey;
import io.surepost.journey.JourneyEvent;
import io.surepost.store.BrokerUnavailableException;
import io.surepost.store.DeadLetterFilter;
import io.surepost.store.DeadLetterRecord;
import io.surepost.store.DeadLetterStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter store, for operators: list (newest first, paged, filtered), show, retry
 * (one, a selection, or all that match a filter) and delete. A retry puts the message back on
 * Original with its id and a fresh attempt count and removes the dead letter, in one
 * transaction ({@link DeadLetterStore#retry}): a second retry of the same dead letter finds
 * nothing and gets 404, so a double click sends it once.
 */
@RequestScoped
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

    /** The most a retry of all matching dead letters takes in one call; the answer says if more match. */
    static final int MAX_RETRY_ALL = 10_000;

    /** A dead letter in a list. */
    public record Summary(long id, String messageId, String processor, Instant deadLetteredAt, Instant receivedAt, int attempts,
                          int lastStatus, String reason, String soapAction, int size) {
    }

    /** A dead letter with its headers and envelope. */
    public record Detail(long id, String messageId, String processor, Instant deadLetteredAt, Instant receivedAt, int attempts,
                         int lastStatus, String reason, String soapAction, String contentType, int size, String envelope) {
    }

    /** What a retry or a delete of several did. */
    public record Outcome(String action, List<Long> done, List<Long> notFound, boolean moreMatch) {
    }

    @EJB
    private DeadLetterStore store;

    @Inject
    private AuditLog audit;

    @Inject
    private Journey journey;

    @Context
    private SecurityContext security;

    @GET
    public Paging.Page<Summary> list(@QueryParam("since") String since, @QueryParam("until") String until,
                                     @QueryParam("reason") String reason, @QueryParam("status") String status,
                                     @QueryParam("processor") String processor,
                                     @QueryParam("page") String page, @QueryParam("size") String size) {
        DeadLetterFilter filter = filter(since, until, reason, status, processor);
        Paging paging = Paging.of(page, size);
        List<Summary> items = store.page(filter, paging.index(), paging.size()).stream().map(DeadLettersResource::summary).toList();
        return paging.of(items, store.count(filter));
    }

    @GET
    @Path("/{id}")
    public Detail show(@PathParam("id") String id) {
        long key = Text.id("dead letter", id);
        return store.find(key).map(DeadLettersResource::detail).orElseThrow(() -> missing(key));
    }

    @POST
    @Path("/{id}/retry")
    public Outcome retry(@PathParam("id") String id) {
        long key = Text.id("dead letter", id);
        if (retryOne(key).isEmpty()) {
            audit.change(security, "retry dead letter", List.of(key), "not found");
            throw missing(key);
        }
        audit.change(security, "retry dead letter", List.of(key), "put back on Original");
        return new Outcome("retry", List.of(key), List.of(), false);
    }

    /**
     * {@code {"ids": [1, 2]}} retries those; no body, or no {@code ids}, retries every dead
     * letter that matches the query's filter (at most {@value #MAX_RETRY_ALL} per call).
     */
    @POST
    @Path("/retry")
    @Consumes(MediaType.WILDCARD)
    public Outcome retrySelection(String body, @QueryParam("since") String since, @QueryParam("until") String until,
                                  @QueryParam("reason") String reason, @QueryParam("status") String status,
                                  @QueryParam("processor") String processor) {
        List<Long> ids = ids(parse(body));
        boolean more = false;
        if (ids == null) {
            DeadLetterFilter filter = filter(since, until, reason, status, processor);
            ids = store.oldestIds(filter, MAX_RETRY_ALL + 1);
            more = ids.size() > MAX_RETRY_ALL;
            ids = more ? ids.subList(0, MAX_RETRY_ALL) : ids;
        }
        List<Long> done = new ArrayList<>();
        List<Long> notFound = new ArrayList<>();
        for (long key : ids) {
            try {
                (retryOne(key).isPresent() ? done : notFound).add(key);
            } catch (ApiException e) {
                audit.change(security, "retry dead letters", done, "stopped: " + e.getMessage());
                throw e;
            }
        }
        audit.change(security, "retry dead letters", done, done.size() + " put back on Original, " + notFound.size() + " not found");
        return new Outcome("retry", done, notFound, more);
    }

    @DELETE
    @Path("/{id}")
    public Outcome delete(@PathParam("id") String id) {
        long key = Text.id("dead letter", id);
        Optional<DeadLetterRecord> deleted = store.delete(key);
        audit.change(security, "delete dead letter", List.of(key),
                deleted.map(r -> "deleted (message " + r.getMessageId() + ")").orElse("not found"));
        if (deleted.isEmpty()) {
            throw missing(key);
        }
        journey.record(deleted.get().getMessageId(), JourneyEvent.Kind.DELETED, "dead letter " + key + " deleted by " + AuditLog.who(security));
        return new Outcome("delete", List.of(key), List.of(), false);
    }

    private Optional<DeadLetterRecord> retryOne(long key) {
        try {
            Instant began = Instant.now(); // before the message can be on its way again
            Optional<DeadLetterRecord> retried = store.retry(key);
            retried.ifPresent(r -> journey.record(r.getMessageId(), began, JourneyEvent.Kind.REPLAYED, 0, -1, "dead letter " + key
                    + " back on Original for " + r.getProcessor() + " by " + AuditLog.who(security)));
            return retried;
        } catch (BrokerUnavailableException e) { // an application exception: the container hands it over as it is
            throw ApiException.unavailable("The broker did not take dead letter " + key + " back, so it stays in the dead-letter store;"
                    + " try again once the broker is up (GET /surepost/api/stores shows it).");
        }
    }

    private static JsonValue parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("The body is not JSON; send {\"ids\": [12, 13]}, or nothing to retry every dead letter"
                    + " that matches the query's filter.");
        }
    }

    /** The ids of {@code {"ids": [...]}}, or null when the body names none. */
    static List<Long> ids(JsonValue body) {
        if (body == null || body == JsonValue.NULL) {
            return null;
        }
        if (!(body instanceof JsonObject object)) {
            throw ApiException.badRequest("The body must be a JSON object such as {\"ids\": [12, 13]}, or empty to retry every"
                    + " dead letter that matches the query's filter.");
        }
        JsonValue value = object.get("ids");
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw ApiException.badRequest("\"ids\" must be a non-empty array of dead-letter ids, such as [12, 13].");
        }
        List<Long> ids = new ArrayList<>();
        for (JsonValue element : array) {
            if (!(element instanceof jakarta.json.JsonNumber number) || !number.isIntegral() || number.longValue() <= 0) {
                throw ApiException.badRequest("\"ids\" must hold dead-letter ids (positive whole numbers), not " + Text.shown(element.toString()) + ".");
            }
            ids.add(number.longValue());
        }
        return ids;
    }

    static DeadLetterFilter filter(String since, String until, String reason, String status, String processor) {
        Integer code = null;
        if (status != null && !status.isBlank()) {
            code = Paging.number("status", status, 0, 599, 0);
        }
        return new DeadLetterFilter(instant("since", since), instant("until", until), reason, code, processor);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Query parameter " + name + " must be a time such as 2026-12-01T10:15:30Z, not '"
                    + Text.shown(value) + "'.");
        }
    }

    private static ApiException missing(long id) {
        return ApiException.notFound("There is no dead letter " + id + ": it was retried or deleted, or never existed"
                + " (GET /surepost/api/dead-letters lists them).");
    }

    private static Summary summary(DeadLetterRecord r) {
        var m = r.toMessage();
        return new Summary(r.getSequence(), r.getMessageId(), r.getProcessor(), r.getDeadLetteredAt(), m.receivedAt(), r.getAttempts(),
                r.getLastStatus(), r.getReason(), m.soapAction(), m.envelope().length);
    }

    private static Detail detail(DeadLetterRecord r) {
        var m = r.toMessage();
        return new Detail(r.getSequence(), r.getMessageId(), r.getProcessor(), r.getDeadLetteredAt(), m.receivedAt(), r.getAttempts(),
                r.getLastStatus(), r.getReason(), m.soapAction(), m.contentType(), m.envelope().length, Envelopes.text(m));
    }
}
