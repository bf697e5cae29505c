package io.surepost.journey;

import java.time.Instant;

/**
 * One step of a message's journey: what happened ({@code event}), when, on which node, and
 * its particulars: an HTTP status (0: none), a duration in milliseconds (-1: none), a text.
 */
public record JourneyEvent(String messageId, Instant at, String event, String node, int status, long durationMillis, String detail) {

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
}
