package io.surepost.mediation;

import io.surepost.message.MonotonicClock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps requests from paying for a dead broker on every call. After a failed send the
 * breaker opens: requests go straight to the failover store. Once the probe interval has
 * passed, exactly one request (or the failover processor) tries the broker again; success
 * closes the breaker, failure keeps it open for another interval.
 * <p>
 * Only the broker's unavailability opens it (a send that fails or does not finish in time);
 * a duplicate id, a database error or an XA error says nothing about the broker.
 * One breaker per broker in the node's list ({@link BrokerRoutes}), shared by the store
 * mediator, the failover processor and the status page; time comes from a monotonic clock.
 */
public class BrokerBreaker {

    /** The probe time while closed; a real one is never Long.MIN_VALUE. */
    private static final long CLOSED = Long.MIN_VALUE;

    private final LongSupplier clock;
    /** CLOSED, or the (monotonic) time from which the next probe may go to the broker. */
    private final AtomicLong probeAt = new AtomicLong(CLOSED);

    public BrokerBreaker() {
        this(MonotonicClock::millis);
    }

    /** @param clock monotonic milliseconds */
    public BrokerBreaker(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whether this caller may try the broker now. When open, at most one caller per interval gets true. */
    public boolean allowsAttempt(long probeIntervalMillis) {
        long next = probeAt.get();
        if (next == CLOSED) {
            return true;
        }
        long now = clock.getAsLong();
        return now >= next && probeAt.compareAndSet(next, now + probeIntervalMillis);
    }

    /** The broker took a message: close. */
    public void succeeded() {
        probeAt.set(CLOSED);
    }

    /** The broker failed: open (or stay open) until the next probe. */
    public void failed(long probeIntervalMillis) {
        probeAt.set(clock.getAsLong() + probeIntervalMillis);
    }

    public boolean isOpen() {
        return probeAt.get() != CLOSED;
    }
}
