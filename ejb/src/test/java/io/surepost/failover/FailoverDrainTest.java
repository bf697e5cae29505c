package io.surepost.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failover processor's logic, against an in-memory table standing in for the store. */
class FailoverDrainTest {

    private static final FailoverDrain.Parameters PARAMETERS =
            new FailoverDrain.Parameters(true, 3, 60_000, 2, 2000, "Original");

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Table table = new Table();
    private final BrokerBreaker breaker = BrokerBreaker.INSTANCE;
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
    void inactiveProcessorMovesNothing() {
        table.add("a");

        drain.tick(new FailoverDrain.Parameters(false, 3, 60_000, 2, 2000, "Original"));

        assertEquals(1, table.count());
        assertEquals(FailoverDrain.State.INACTIVE, drain.state());
    }

    /** Rows in insertion order; a move fails while brokerDown. */
    private static final class Table implements FailoverDrain.Store {
        private final Deque<String> rows = new ArrayDeque<>();
        private final List<String> moved = new ArrayList<>();
        private final List<String> exhausted = new ArrayList<>();
        private boolean brokerDown;
        private int attempts;

        void add(String... ids) {
            rows.addAll(List.of(ids));
        }

        @Override
        public List<String> moveBatch(int max) {
            if (brokerDown) {
                throw new IllegalStateException("broker down");
            }
            List<String> batch = new ArrayList<>();
            while (batch.size() < max && !rows.isEmpty()) {
                batch.add(rows.removeFirst());
            }
            moved.addAll(batch);
            return batch;
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public List<String> recordFailedMove(int batch, String error, int maxAttempts) {
            attempts++;
            List<String> past = attempts >= maxAttempts ? rows.stream().limit(batch).toList() : List.of();
            exhausted.addAll(past);
            return past;
        }
    }
}
