package io.surepost.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.store.BrokerUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failover processor's logic, against an in-memory table standing in for the store. */
class FailoverDrainTest {

    private static final FailoverDrain.Parameters PARAMETERS =
            new FailoverDrain.Parameters(true, 3, 1000, 60_000, 2, 2000, "Original");

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Table table = new Table();
    private final BrokerBreaker breaker = new BrokerBreaker(now::get);
    private final FailoverGate gate = new FailoverGate();
    private final FailoverDrain drain = new FailoverDrain(table, () -> List.of(breaker), gate, now::get);

    @Test
    void movesEveryRowOldestFirstInBatches() {
        table.add("a", "b", "c", "d", "e", "f", "g");

        drain.tick(PARAMETERS);

        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), table.moved);
        assertEquals(0, table.count());
        assertEquals(FailoverDrain.State.ACTIVE, drain.state());
        assertFalse(gate.rowsWaiting(), "the gate opens once the table is empty");
    }

    @Test
    void batchesAreBoundedByBytesAsWellAsRows() {
        table.add("a", "b", "c", "d", "e");

        drain.tick(new FailoverDrain.Parameters(true, 3, 500, 60_000, 2, 2000, "Original"));

        assertEquals(List.of("a", "b", "c", "d", "e"), table.moved, "one row per batch (400 bytes each, 500 a batch), all in one tick");
        assertEquals(5, table.batches);
    }

    @Test
    void brokerFailureKeepsTheRowsAndWaitsTheRetryInterval() {
        table.add("a", "b");
        table.brokerDown = true;

        drain.tick(PARAMETERS);

        assertEquals(2, table.count());
        assertEquals(FailoverDrain.State.WAITING_FOR_BROKER, drain.state());
        assertTrue(drain.lastError().contains("broker down"), drain.lastError());
        table.brokerDown = false;
        now.addAndGet(59_999);
        drain.tick(PARAMETERS);
        assertEquals(2, table.count(), "no new try before client.retry.interval");
        now.addAndGet(1);
        drain.tick(PARAMETERS);
        assertEquals(0, table.count());
        assertEquals(FailoverDrain.State.ACTIVE, drain.state());
    }

    @Test
    void failedMovesCountAgainstTheRowsAndNothingIsDropped() {
        table.add("a");
        table.brokerDown = true;

        drain.tick(PARAMETERS);
        now.addAndGet(60_000);
        drain.tick(PARAMETERS);
        now.addAndGet(60_000);
        drain.tick(PARAMETERS);

        assertEquals(3, table.attempts);
        assertEquals(List.of("a", "a"), table.exhausted, "past max.delivery.attempts=2, reported at each further failure");
        assertEquals(1, table.count(), "the row is still there");
    }

    @Test
    void aRowWhoseIdTheBrokerAlreadyHoldsIsDroppedWithoutHoldingUpTheOthers() {
        table.add("a", "b", "c", "d", "e");
        table.onBroker.add("b"); // stored by the broker, its reply lost: also written to the table

        drain.tick(PARAMETERS);

        assertEquals(0, table.count(), "the table is empty");
        assertEquals(List.of("a", "c", "d", "e"), table.queued, "every other row once, in order; b only once, from before");
        assertFalse(breaker.isOpen(), "a duplicate says nothing about the broker's availability");
        assertEquals(FailoverDrain.State.ACTIVE, drain.state());
    }

    @Test
    void aDatabaseErrorDoesNotOpenTheBrokerBreaker() {
        table.add("a");
        table.databaseDown = true;

        drain.tick(PARAMETERS);

        assertFalse(breaker.isOpen());
        assertEquals(FailoverDrain.State.FAILING, drain.state());
        assertEquals(1, table.rows.size(), "the row is kept");
    }

    @Test
    void anUnavailableBrokerOpensTheBreaker() {
        table.add("a");
        table.brokerDown = true;

        drain.tick(PARAMETERS);

        assertTrue(breaker.isOpen());
    }

    @Test
    void rowsGoToTheNextBrokerOfTheListWhileTheFirstIsUnavailable() {
        BrokerBreaker second = new BrokerBreaker(now::get);
        FailoverDrain cluster = new FailoverDrain(table, () -> List.of(breaker, second), gate, now::get);
        table.add("a", "b", "c", "d");
        table.routesDown.add(0);

        cluster.tick(PARAMETERS);

        assertEquals(0, table.count());
        assertEquals(List.of(1, 1, 1, 1), table.routes, "all to the second broker");
        assertTrue(breaker.isOpen(), "the first broker's breaker is open");
        assertFalse(second.isOpen());
        assertEquals(FailoverDrain.State.ACTIVE, cluster.state());
    }

    @Test
    void aRowKeptForTheFirstBrokerWaitsForItWhileTheOthersGoToTheSecond() {
        FailoverDrain cluster = new FailoverDrain(table, () -> List.of(breaker, new BrokerBreaker(now::get)), gate, now::get);
        table.addKeptFor(0, "a"); // its send to the first broker failed on the way: that broker may hold it
        table.add("b");
        table.routesDown.add(0);

        cluster.tick(PARAMETERS);
        assertEquals(List.of("b"), table.moved, "b to the second broker; a waits for the first, whose duplicate detection knows it");
        assertEquals(FailoverDrain.State.WAITING_FOR_BROKER, cluster.state());

        table.routesDown.clear();
        now.addAndGet(60_000);
        cluster.tick(PARAMETERS);
        assertEquals(List.of("b", "a"), table.moved);
        assertEquals(List.of(1, 0), table.routes);
        assertEquals(FailoverDrain.State.ACTIVE, cluster.state());
    }

    @Test
    void theFirstBrokerOfTheListIsTriedFirstAgainAtTheNextTick() {
        FailoverDrain cluster = new FailoverDrain(table, () -> List.of(breaker, new BrokerBreaker(now::get)), gate, now::get);
        table.add("a");
        table.routesDown.add(0);
        cluster.tick(PARAMETERS);
        table.routesDown.clear();
        table.add("b");

        cluster.tick(PARAMETERS);

        assertEquals(List.of(1, 0), table.routes, "a to the second broker, b to the first once it is back");
        assertFalse(breaker.isOpen());
    }

    @Test
    void rowsWaitWhileEveryBrokerOfTheListIsUnavailable() {
        BrokerBreaker second = new BrokerBreaker(now::get);
        FailoverDrain cluster = new FailoverDrain(table, () -> List.of(breaker, second), gate, now::get);
        table.add("a", "b");
        table.routesDown.addAll(List.of(0, 1));

        cluster.tick(PARAMETERS);

        assertEquals(2, table.count());
        assertEquals(FailoverDrain.State.WAITING_FOR_BROKER, cluster.state());
        assertTrue(breaker.isOpen());
        assertTrue(second.isOpen());
    }

    @Test
    void inactiveProcessorMovesNothing() {
        table.add("a");

        drain.tick(new FailoverDrain.Parameters(false, 3, 1000, 60_000, 2, 2000, "Original"));

        assertEquals(1, table.count());
        assertEquals(FailoverDrain.State.INACTIVE, drain.state());
    }

    /**
     * Rows in insertion order, and the queue they move to. A move fails while brokerDown (the
     * broker is unavailable) or databaseDown. A batch that holds an id the broker already has
     * is refused as a whole, as Artemis refuses such a transaction; a row moved alone with such
     * an id is dropped by the broker's duplicate detection.
     */
    private static final class Table implements FailoverDrain.Store {
        private final List<String> rows = new ArrayList<>();
        /** The broker (index) a row is kept for; rows not in it are kept for none. */
        private final java.util.Map<String, Integer> keptFor = new java.util.HashMap<>();
        private final List<String> moved = new ArrayList<>();
        private final List<String> queued = new ArrayList<>();
        private final java.util.Set<String> onBroker = new java.util.HashSet<>();
        private final List<String> exhausted = new ArrayList<>();
        /** The brokers of the list (by index) that are unavailable. */
        private final java.util.Set<Integer> routesDown = new java.util.HashSet<>();
        /** The broker (index) each moved row went to. */
        private final List<Integer> routes = new ArrayList<>();
        private boolean brokerDown;
        private boolean databaseDown;
        private int attempts;
        private int batches;

        void add(String... ids) {
            rows.addAll(List.of(ids));
        }

        void addKeptFor(int route, String id) {
            rows.add(id);
            keptFor.put(id, route);
        }

        /** The rows a move to {@code route} may take, oldest first. */
        private List<String> takeable(int route) {
            return rows.stream().filter(id -> keptFor.getOrDefault(id, route) == route).toList();
        }

        private void check(int route) {
            if (brokerDown || routesDown.contains(route)) {
                throw new BrokerUnavailableException("broker down", null);
            }
            if (databaseDown) {
                throw new IllegalStateException("database down");
            }
        }

        @Override
        public FailoverDrain.Batch moveBatch(int route, int maxRows, long maxBytes) {
            check(route);
            // every row weighs 400 bytes: a batch holds at least one, and no more than maxBytes after that
            long max = Math.min(maxRows, Math.max(1, maxBytes / 400));
            List<String> takeable = takeable(route);
            List<String> batch = takeable.stream().limit(max).toList();
            batches += batch.isEmpty() ? 0 : 1;
            if (batch.stream().anyMatch(onBroker::contains)) {
                throw new IllegalStateException("ARJUNA016053: Could not commit transaction (duplicate id)");
            }
            rows.removeAll(batch);
            moved.addAll(batch);
            batch.forEach(id -> routes.add(route));
            queued.addAll(batch);
            onBroker.addAll(batch);
            return new FailoverDrain.Batch(batch, takeable.size() > batch.size() && batch.size() == max);
        }

        @Override
        public List<Long> oldest(int route, int max) {
            if (databaseDown) {
                throw new IllegalStateException("database down");
            }
            return java.util.stream.LongStream.range(0, Math.min(max, takeable(route).size())).boxed().toList();
        }

        @Override
        public String moveAlone(int route, long sequence) {
            check(route);
            String id = takeable(route).get(0);
            rows.remove(id);
            if (onBroker.add(id)) {
                queued.add(id);
            }
            moved.add(id);
            return id;
        }

        @Override
        public long count() {
            if (databaseDown) {
                throw new IllegalStateException("database down");
            }
            return rows.size();
        }

        @Override
        public List<String> recordFailedMove(int batch, String error, int maxAttempts) {
            attempts++;
            List<String> past = attempts >= maxAttempts ? rows.stream().limit(batch).toList() : List.of();
            exhausted.addAll(past);
            return past;
        }

        @Override
        public boolean recordFailedMoveOf(long sequence, String error, int maxAttempts) {
            return false;
        }
    }
}
