package io.surepost.journey;

import io.surepost.store.FailoverStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Records what happens to each message, for {@code GET /surepost/api/messages/{id}}: every
 * layer calls {@link #record}, which only puts the event in a bounded buffer (it never
 * blocks, never fails its caller, and adds no database work to a request);
 * {@link JourneyWriter} writes the buffer to SUREPOST_JOURNEY every 250 ms. So the journey
 * costs the acknowledgement path one enqueue, and a crash loses at most the last quarter
 * second of it, never a message. {@code surepost.journey.enabled=false} switches it off (read
 * live). One per server.
 */
@ApplicationScoped
public class Journey {

    /** The system property that switches the journey on (the default) and off. */
    public static final String ENABLED = "surepost.journey.enabled";
    /** Events the buffer holds at most while the writer cannot write (the database is down). */
    static final int CAPACITY = 200_000;

    private final JourneyBuffer buffer = new JourneyBuffer(CAPACITY);

    /** Records an event of the message, now: {@code status} 0 and {@code durationMillis} -1 when they do not apply. */
    public void record(String messageId, String event, int status, long durationMillis, String detail) {
        record(messageId, Instant.now(), event, status, durationMillis, detail);
    }

    /**
     * Records an event that began at {@code at}: an attempt when it started, a move when it
     * began (a step the event enabled, such as the next delivery, must never seem to come first).
     */
    public void record(String messageId, Instant at, String event, int status, long durationMillis, String detail) {
        if (enabled()) {
            buffer.add(new JourneyEvent(messageId, at, event, FailoverStore.node(), status, durationMillis, detail));
        }
    }

    /**
     * Records that the message was accepted at {@code at} and stored in {@code storedIn}: one
     * row, shown as the two steps {@code accepted} and {@code stored} ({@link JourneyEvent#unfolded}).
     */
    public void accepted(String messageId, Instant at, long durationMillis, String storedIn, String particulars) {
        if (enabled()) {
            buffer.add(JourneyEvent.accepted(messageId, at, FailoverStore.node(), durationMillis, storedIn, particulars));
        }
    }

    /** An event with neither status nor duration. */
    public void record(String messageId, String event, String detail) {
        record(messageId, event, 0, -1, detail);
    }

    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED, "true").trim());
    }

    JourneyBuffer buffer() {
        return buffer;
    }
}
