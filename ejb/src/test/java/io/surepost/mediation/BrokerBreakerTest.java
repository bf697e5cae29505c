package io.surepost.mediation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BrokerBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BrokerBreaker breaker = new BrokerBreaker(now::get);

    @Test
    void closedBreakerLetsEveryAttemptThrough() {
        assertTrue(breaker.allowsAttempt(2000));
        assertTrue(breaker.allowsAttempt(2000));
        assertFalse(breaker.isOpen());
    }

    @Test
    void failureOpensTheBreakerUntilTheProbeInterval() {
        breaker.failed(2000);

        assertTrue(breaker.isOpen());
        assertFalse(breaker.allowsAttempt(2000));
        now.addAndGet(1999);
        assertFalse(breaker.allowsAttempt(2000));
    }

    @Test
    void afterTheIntervalExactlyOneCallerProbes() {
        breaker.failed(2000);
        now.addAndGet(2000);

        assertTrue(breaker.allowsAttempt(2000), "the first caller probes");
        assertFalse(breaker.allowsAttempt(2000), "the others keep going to the failover store");
    }

    @Test
    void successfulProbeClosesTheBreaker() {
        breaker.failed(2000);
        now.addAndGet(2000);
        breaker.allowsAttempt(2000);

        breaker.succeeded();

        assertFalse(breaker.isOpen());
        assertTrue(breaker.allowsAttempt(2000));
    }

    @Test
    void failedProbeKeepsItOpenForAnotherInterval() {
        breaker.failed(2000);
        now.addAndGet(2000);
        breaker.allowsAttempt(2000);

        breaker.failed(2000);

        assertFalse(breaker.allowsAttempt(2000));
        now.addAndGet(2000);
        assertTrue(breaker.allowsAttempt(2000), "the next probe after another interval");
    }
}
