package io.surepost.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journey events on their way to the database, off the acknowledgement path: adding one
 * never blocks and never fails the request that adds it. The buffer is bounded; when the
 * writer cannot keep up (the database is down for long), further events are counted as
 * dropped, never the messages themselves, and the count is reported. Plain class.
 */
public final class JourneyBuffer {

    private final ArrayBlockingQueue<JourneyEvent> events;
    private final AtomicLong dropped = new AtomicLong();

    public JourneyBuffer(int capacity) {
        this.events = new ArrayBlockingQueue<>(capacity);
    }

    /** Adds the event, or counts it as dropped when the buffer is full. */
    public void add(JourneyEvent event) {
        if (!events.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Takes up to {@code max} events, oldest first. */
    public List<JourneyEvent> take(int max) {
        List<JourneyEvent> taken = new ArrayList<>(Math.min(max, events.size()));
        events.drainTo(taken, max);
        return taken;
    }

    /** Puts events back after a failed write, as many as fit; the rest are counted as dropped. */
    public void putBack(List<JourneyEvent> failed) {
        failed.forEach(this::add);
    }

    public int size() {
        return events.size();
    }

    /** Events dropped since the last call. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }
}
