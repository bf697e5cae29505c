package io.surepost.journey;

import java.time.Instant;
import java.util.List;

/**
 * One step of a message's journey: what happened ({@code event}), when, on which node, and
 * its particulars: an HTTP status (0: none), a duration in milliseconds (-1: none), a text.
 * <p>
 * An acceptance is written as one row that also says where the message was stored (half
 * the rows of writing the two steps apart, on the path every message takes);
 * {@link #unfolded()} gives the two steps back when the journey is read.
 */
public record JourneyEvent(String messageId, Instant at, String event, String node, int status, long durationMillis, String detail) {

    /**
     * Between where an accepted message was stored (Surepost's own words, first) and the
     * acceptance's particulars (which quote the client's SOAPAction, so they come last).
     */
    static final char STORED_SEPARATOR = '\u001f';

    /** What a journey records. */
    public static final class Kind {
        public static final String ACCEPTED = "accepted";
        public static final String STORED = "stored";
        public static final String MOVED = "moved from the failover table";
        public static final String ATTEMPT = "delivery attempt";
        public static final String DELIVERED = "delivered";
        public static final String RETRY = "retry scheduled";
        public static final String DEAD_LETTERED = "dead-lettered";
        public static final String HELD = "held: the processor deactivated";
        public static final String REPLAYED = "dead letter retried by an operator";
        public static final String DELETED = "deleted by an operator";

        private Kind() {
        }
    }

    /** The acceptance of a message, with where it was stored ({@code storedIn}, e.g. "Original"). */
    public static JourneyEvent accepted(String messageId, Instant at, String node, long durationMillis, String storedIn, String particulars) {
        return new JourneyEvent(messageId, at, Kind.ACCEPTED, node, 202, durationMillis, "in " + storedIn + STORED_SEPARATOR + particulars);
    }

    /**
     * The steps this row stands for: an acceptance written with {@link #accepted} is two,
     * {@code accepted} then {@code stored} (at the same moment); any other row, and an
     * acceptance written as two rows by an earlier version, is itself.
     */
    public List<JourneyEvent> unfolded() {
        int separator = detail == null ? -1 : detail.indexOf(STORED_SEPARATOR);
        if (!event.equals(Kind.ACCEPTED) || separator < 0) {
            return List.of(this);
        }
        return List.of(new JourneyEvent(messageId, at, Kind.ACCEPTED, node, status, durationMillis, detail.substring(separator + 1)),
                new JourneyEvent(messageId, at, Kind.STORED, node, 0, -1, detail.substring(0, separator)));
    }
}
