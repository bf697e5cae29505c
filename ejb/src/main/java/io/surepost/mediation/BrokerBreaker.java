package io.surepost.mediation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps requests from paying for a dead broker on every call. After a failed send the
 * breaker opens: requests go straight to the failover store. Once the probe interval has
 * passed, exactly one request (or the failover processor) tries the broker again; success
 * closes the breaker, failure keeps it open for another interval.
 */
public final class BrokerBreaker {

    /** The one breaker of this server: the store mediator and the failover processor share it. */
    public static final BrokerBreaker INSTANCE = new BrokerBreaker(System::currentTimeMillis);

    private static final long CLOSED = 0;

    private final LongSupplier clock;
    /** 0 when closed, otherwise the time from which the next probe may go to the broker. */
    private final AtomicLong probeAt = new AtomicLong(CLOSED);
    private final AtomicLong openedAt = new AtomicLong(CLOSED);

    BrokerBreaker(LongSupplier clock) {
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
        openedAt.set(CLOSED);
    }

    /** The broker failed: open (or stay open) until the next probe. */
    public void failed(long probeIntervalMillis) {
        long now = clock.getAsLong();
        openedAt.compareAndSet(CLOSED, now);
        probeAt.set(now + probeIntervalMillis);
    }

    public boolean isOpen() {
        return probeAt.get() != CLOSED;
    }

    /** When the breaker opened (epoch ms), or 0 when closed. */
    public long openedAt() {
        return openedAt.get();
    }
}
