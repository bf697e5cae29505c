package io.surepost.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.store.BrokerUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failover processor's logic, against an in-memory table standing in for the store. */
class FailoverDrainTest {

    private static final FailoverDrain.Parameters PARAMETERS =
            new FailoverDrain.Parameters(true, 3, 1000, 60_000, 2, 2000, "Original");

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Table table = new Table();
    private final BrokerBreaker breaker = new BrokerBreaker();
    private final FailoverGate gate = new FailoverGate();
    private final FailoverDrain drain = new FailoverDrain(table, breaker, gate, now::get);

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
        private final Deque<String> rows = new ArrayDeque<>();
        private final List<String> moved = new ArrayList<>();
        private final List<String> queued = new ArrayList<>();
        private final java.util.Set<String> onBroker = new java.util.HashSet<>();
        private final List<String> exhausted = new ArrayList<>();
        private boolean brokerDown;
        private boolean databaseDown;
        private int attempts;
        private int batches;

        void add(String... ids) {
            rows.addAll(List.of(ids));
        }

        private void check() {
            if (brokerDown) {
                throw new BrokerUnavailableException("broker down", null);
            }
            if (databaseDown) {
                throw new IllegalStateException("database down");
            }
        }

        @Override
        public FailoverDrain.Batch moveBatch(int maxRows, long maxBytes) {
            check();
            // every row weighs 400 bytes: a batch holds at least one, and no more than maxBytes after that
            long max = Math.min(maxRows, Math.max(1, maxBytes / 400));
            List<String> batch = rows.stream().limit(max).toList();
            batches += batch.isEmpty() ? 0 : 1;
            if (batch.stream().anyMatch(onBroker::contains)) {
                throw new IllegalStateException("ARJUNA016053: Could not commit transaction (duplicate id)");
            }
            batch.forEach(id -> rows.removeFirst());
            moved.addAll(batch);
            queued.addAll(batch);
            onBroker.addAll(batch);
            return new FailoverDrain.Batch(batch, !rows.isEmpty() && batch.size() == max);
        }

        @Override
        public List<Long> oldest(int max) {
            check();
            return java.util.stream.LongStream.range(0, Math.min(max, rows.size())).boxed().toList();
        }

        @Override
        public String moveAlone(long sequence) {
            check();
            String id = rows.removeFirst();
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
