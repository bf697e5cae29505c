package io.surepost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeWatchTest {

    private static final long SILENCE = 30_000;

    private final NodeWatch watch = new NodeWatch("node-1", 5000);

    /** Observes the same counters every second from {@code from} to {@code to}. */
    private void observeEverySecond(Map<String, Long> beats, long from, long to) {
        for (long now = from; now <= to; now += 1000) {
            watch.observe(beats, now);
        }
    }

    @Test
    void aNodeWhoseCounterStopsIsGoneOnceSilentForTheDelay() {
        watch.observe(Map.of("node-1", 1L, "node-2", 7L), 0);
        observeEverySecond(Map.of("node-1", 2L, "node-2", 7L), 1000, 29_000);
        assertEquals(Set.of(), watch.gone(SILENCE, 29_000));
        watch.observe(Map.of("node-1", 3L, "node-2", 7L), 30_000);
        assertEquals(Set.of("node-2"), watch.gone(SILENCE, 30_000));
    }

    @Test
    void aNodeWhoseCounterMovesIsNeverGoneHoweverLongItRuns() {
        for (long now = 0; now <= 120_000; now += 1000) {
            watch.observe(Map.of("node-1", now, "node-2", now / 10_000), now); // node 2 beats only every 10 s
            assertEquals(Set.of(), watch.gone(SILENCE, now));
        }
    }

    @Test
    void aNodeSeenForTheFirstTimeCountsAsAliveForTheDelay() {
        observeEverySecond(Map.of("node-2", 4L), 100_000, 129_000);
        assertEquals(Set.of(), watch.gone(SILENCE, 129_000));
        watch.observe(Map.of("node-2", 4L), 130_000);
        assertEquals(Set.of("node-2"), watch.gone(SILENCE, 130_000));
    }

    @Test
    void thisNodeIsNeverGoneToItself() {
        observeEverySecond(Map.of("node-1", 1L), 0, 60_000);
        assertEquals(Set.of(), watch.gone(SILENCE, 60_000));
    }

    @Test
    void noNodeIsGoneBeforeTheFirstObservation() {
        assertEquals(Set.of(), watch.gone(SILENCE, 1_000_000));
    }

    @Test
    void noNodeIsGoneWhileTheLastObservationIsStale() {
        watch.observe(Map.of("node-2", 1L), 0);
        // the database went away: no observation since; 60 s later node 2 looks silent, but nothing is known
        assertEquals(Set.of(), watch.gone(SILENCE, 60_000));
        watch.observe(Map.of("node-2", 1L), 61_000);
        assertEquals(Set.of("node-2"), watch.gone(SILENCE, 61_000));
    }

    @Test
    void aNodeThatBeatsAgainAfterBeingGoneIsAliveAgain() {
        observeEverySecond(Map.of("node-2", 1L), 0, 40_000);
        assertEquals(Set.of("node-2"), watch.gone(SILENCE, 40_000));
        watch.observe(Map.of("node-2", 2L), 41_000);
        assertEquals(Set.of(), watch.gone(SILENCE, 41_000));
    }
}
