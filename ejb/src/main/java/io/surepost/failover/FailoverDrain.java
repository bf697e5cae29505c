package io.surepost.failover;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.message.Failures;
import io.surepost.store.BrokerUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * What the failover processor does on each tick, as a plain class: when it is time, move
 * failover rows back to the target store batch by batch, oldest first, until the table is
 * empty; when the broker is unavailable, wait {@code client.retry.interval} before trying again.
 * It logs, as the seed's processor does, that it is trying, failing and moving.
 * <p>
 * A batch moves in one transaction. When the broker refuses a batch for another reason than
 * being unavailable (typically a row whose id the broker already holds: a send whose reply
 * was lost also went to the failover table, and Artemis rolls back a transaction that
 * carries a known duplicate id), the rows of that batch move one at a time, each with a
 * durable non-transacted send, which the broker's duplicate detection turns into a no-op for
 * a row it already holds. So a duplicate is dropped without a second copy on the queue and
 * without holding up the other rows. Only unavailability opens the broker breaker.
 */
public final class FailoverDrain {

    /** What the drain needs from the container: the transactional moves and the table. */
    public interface Store {
        /** Moves up to {@code maxRows} rows and (but for the first) {@code maxBytes} of envelopes in one transaction. */
        Batch moveBatch(int maxRows, long maxBytes);

        /** The insertion sequences of the oldest {@code max} rows. */
        List<Long> oldest(int max);

        /**
         * Moves one row on its own: a durable send (a no-op on the broker when it already holds
         * the id), then the delete. Returns its id, or null when the row is gone already.
         */
        String moveAlone(long sequence);

        long count();

        /** Records a failed move against the oldest rows; returns the ids past {@code maxAttempts}. */
        List<String> recordFailedMove(int batch, String error, int maxAttempts);

        /** Records a failed move of one row; returns whether it is now past {@code maxAttempts}. */
        boolean recordFailedMoveOf(long sequence, String error, int maxAttempts);
    }

    /** The ids a batch moved, oldest first, and whether more rows may be waiting behind it. */
    public record Batch(List<String> ids, boolean more) {
    }

    /** The processor's state, as status shows it. */
    public enum State {
        ACTIVE, WAITING_FOR_BROKER, FAILING, INACTIVE
    }

    /** The knobs of one tick, read from the settings each time. */
    public record Parameters(boolean active, int batchSize, long batchBytes, long retryIntervalMillis, int maxAttempts,
                             long probeIntervalMillis, String targetStore) {
    }

    private static final Logger LOG = Logger.getLogger("io.surepost.failover");

    private final Store store;
    private final BrokerBreaker breaker;
    private final FailoverGate gate;
    private final LongSupplier clock;

    private volatile State state = State.ACTIVE;
    private volatile long nextAttemptAt;
    private volatile boolean waiting;
    /** Whether a row failed to move on its own during this tick. */
    private boolean rowFailed;
    private volatile String lastError = "";

    /** @param clock monotonic milliseconds ({@link io.surepost.message.MonotonicClock}) */
    public FailoverDrain(Store store, BrokerBreaker breaker, FailoverGate gate, LongSupplier clock) {
        this.store = store;
        this.breaker = breaker;
        this.gate = gate;
        this.clock = clock;
    }

    /** One tick of the processor (a fixed-delay task on the managed scheduled executor). */
    public void tick(Parameters parameters) {
        if (!parameters.active()) {
            state = State.INACTIVE;
            return;
        }
        if (state == State.INACTIVE) {
            state = State.ACTIVE;
        }
        if (waiting && clock.getAsLong() - nextAttemptAt < 0) {
            return;
        }
        waiting = false;
        rowFailed = false;
        try {
            long rows = store.count();
            if (rows > 0) {
                LOG.infof("FailoverProcessor: %d message(s) wait in the failover store; trying to move them to %s",
                        rows, parameters.targetStore());
            }
            while (moveOne(parameters).more()) {
                // batch after batch, until one shows the table is empty
            }
            openGate(parameters);
            state = rowFailed ? State.FAILING : State.ACTIVE;
            if (!rowFailed) {
                lastError = "";
            }
        } catch (RuntimeException e) {
            failed(parameters, e);
        }
    }

    /** In order-preserving mode, the last rows move while no new message can be stored. */
    private void openGate(Parameters parameters) {
        Lock drain = gate.drain();
        drain.lock();
        try {
            while (moveOne(parameters).more()) {
                // keep moving until a batch shows the table is empty
            }
            if (store.count() == 0) {
                gate.drained();
            }
        } finally {
            drain.unlock();
        }
    }

    private Batch moveOne(Parameters parameters) {
        Batch batch;
        try {
            batch = store.moveBatch(parameters.batchSize(), parameters.batchBytes());
        } catch (RuntimeException e) {
            if (BrokerUnavailableException.isCauseOf(e)) {
                throw e;
            }
            LOG.warnf("FailoverProcessor: the broker refused a batch of up to %d message(s) (%s); moving them one at a time",
                    parameters.batchSize(), Failures.rootMessage(e));
            List<String> moved = moveAlone(parameters);
            batch = new Batch(moved, moved.size() == parameters.batchSize());
        }
        if (!batch.ids().isEmpty()) {
            breaker.succeeded();
            for (String id : batch.ids()) {
                LOG.infof("Message %s moved from the failover store to %s", id, parameters.targetStore());
            }
        }
        return batch;
    }

    /**
     * Moves the oldest rows one at a time. A row that fails for another reason than an
     * unavailable broker keeps its place (its attempts count up) and the others go on.
     */
    private List<String> moveAlone(Parameters parameters) {
        List<String> moved = new ArrayList<>();
        for (long sequence : store.oldest(parameters.batchSize())) {
            try {
                String id = store.moveAlone(sequence);
                if (id != null) {
                    moved.add(id);
                }
            } catch (RuntimeException e) {
                if (BrokerUnavailableException.isCauseOf(e)) {
                    throw e;
                }
                String error = Failures.rootMessage(e);
                rowFailed = true;
                lastError = error;
                boolean exhausted = store.recordFailedMoveOf(sequence, error, parameters.maxAttempts());
                LOG.warnf("FailoverProcessor: could not move the row with sequence %d to %s: %s; it stays in the failover store%s",
                        sequence, parameters.targetStore(), error,
                        exhausted ? " (it has failed max.delivery.attempts=" + parameters.maxAttempts() + " times or more)" : "");
            }
        }
        // A row that failed stays behind: the batch comes out short, so this tick ends with it
        return moved;
    }

    private void failed(Parameters parameters, RuntimeException e) {
        String error = Failures.rootMessage(e);
        boolean brokerUnavailable = BrokerUnavailableException.isCauseOf(e);
        if (brokerUnavailable) {
            breaker.failed(parameters.probeIntervalMillis());
        }
        state = brokerUnavailable ? State.WAITING_FOR_BROKER : State.FAILING;
        lastError = error;
        nextAttemptAt = clock.getAsLong() + parameters.retryIntervalMillis();
        waiting = true;
        LOG.warnf("FailoverProcessor: could not move messages to %s: %s; next try in %d ms (client.retry.interval)",
                parameters.targetStore(), error, parameters.retryIntervalMillis());
        List<String> exhausted;
        try {
            exhausted = store.recordFailedMove(parameters.batchSize(), error, parameters.maxAttempts());
        } catch (RuntimeException e2) {
            LOG.debugf("FailoverProcessor: could not count the failed move against the rows either: %s", Failures.rootMessage(e2));
            return;
        }
        for (String id : exhausted) {
            LOG.warnf("Message %s: moving it to %s has failed max.delivery.attempts=%d times; it stays in the failover store and is retried",
                    id, parameters.targetStore(), parameters.maxAttempts());
        }
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }
}
