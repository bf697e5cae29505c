package io.surepost.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private final StallWatch watch = new StallWatch();

    @Test
    void aRunWithinTheLimitIsNotReported() {
        watch.began(1_000);
        assertEquals(Optional.empty(), watch.check(60_999, 60_000));
    }

    @Test
    void aRunPastTheLimitIsReportedWithItsThreadAndStack() {
        watch.began(1_000);
        StallWatch.Stall stall = watch.check(61_000, 60_000).orElseThrow();
        assertEquals(60_000, stall.runningMillis());
        assertEquals(Thread.currentThread().getName(), stall.thread());
        assertTrue(stall.stack().contains("aRunPastTheLimitIsReportedWithItsThreadAndStack"), stall.stack());
    }

    @Test
    void aStallIsReportedOncePerLimitNotAtEveryCheck() {
        watch.began(0);
        assertTrue(watch.check(60_000, 60_000).isPresent());
        assertEquals(Optional.empty(), watch.check(70_000, 60_000));
        assertEquals(180_000, watch.check(180_000, 60_000).orElseThrow().runningMillis());
    }

    @Test
    void anEndedRunIsNotReported() {
        watch.began(0);
        watch.ended();
        assertEquals(Optional.empty(), watch.check(600_000, 60_000));
    }
}
