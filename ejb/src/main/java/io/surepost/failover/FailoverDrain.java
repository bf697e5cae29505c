package io.surepost.failover;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.message.Failures;
import io.surepost.store.BrokerUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
 * without holding up the other rows. Only unavailability opens a broker's breaker.
 * <p>
 * A cluster node has an ordered broker list. A row whose send to one of its brokers failed on
 * the way is kept for that broker (the broker may hold the message, and only its duplicate
 * detection would drop the copy; moved to another broker it would be delivered twice): it
 * waits for that broker, or for its backup, which takes over within seconds. Every other row
 * goes to the first broker of the list that takes it. Once a row is older than
 * {@code failover.takeover.delay} any broker of the list takes it: the price of not waiting
 * any longer. Another node's rows are this node's to move only once that node is gone
 * (io.surepost.cluster.ClusterMembers).
 */
public final class FailoverDrain {

    /** What the drain needs from the container: the transactional moves and the table. */
    public interface Store {
        /**
         * Moves up to {@code maxRows} rows and (but for the first) {@code maxBytes} of envelopes
         * in one transaction, to the broker at {@code route} (0: the first of the node's list):
         * the rows kept for that broker, those kept for none, and those past the takeover delay.
         */
        Batch moveBatch(int route, int maxRows, long maxBytes);

        /** The insertion sequences of the oldest {@code max} rows a move to broker {@code route} may take. */
        List<Long> oldest(int route, int max);

        /**
         * Moves one row on its own: a durable send (a no-op on the broker when it already holds
         * the id), then the delete. Returns its id, or null when the row is gone already.
         */
        String moveAlone(int route, long sequence);

        long count();

        /** Records a failed move against the oldest rows; returns the ids past {@code maxAttempts}. */
        List<String> recordFailedMove(int batch, String error, int maxAttempts);

        /** Records a failed move of one row; returns whether it is now past {@code maxAttempts}. */
        boolean recordFailedMoveOf(long sequence, String error, int maxAttempts);

        /** The message is on the broker now (its journey records it). */
        default void moved(String messageId, Instant began, String where) {
        }
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
    /** The breakers of the node's ordered broker list, first to last, read at each tick. */
    private final Supplier<List<BrokerBreaker>> brokerList;
    /** This tick's broker list. */
    private List<BrokerBreaker> breakers;
    private final FailoverGate gate;
    private final LongSupplier clock;

    private volatile State state = State.ACTIVE;
    private volatile long nextAttemptAt;
    private volatile boolean waiting;
    /** Whether a row failed to move on its own during this tick. */
    private boolean rowFailed;
    private volatile String lastError = "";

    /** @param clock monotonic milliseconds ({@link io.surepost.message.MonotonicClock}) */
    public FailoverDrain(Store store, Supplier<List<BrokerBreaker>> brokerList, FailoverGate gate, LongSupplier clock) {
        this.store = store;
        this.brokerList = brokerList;
        this.gate = gate;
        this.clock = clock;
    }

    /** One tick of the processor (a fixed-delay task on a thread of its own). */
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
        breakers = brokerList.get();
        try {
            long rows = store.count();
            if (rows > 0) {
                LOG.infof("FailoverProcessor: %d message(s) wait in the failover store; trying to move them to %s",
                        rows, parameters.targetStore());
            }
            moveAll(parameters);
            state = rowFailed ? State.FAILING : State.ACTIVE;
            if (!rowFailed) {
                lastError = "";
            }
        } catch (RouteFailure e) {
            failed(parameters, (RuntimeException) e.getCause(), e.route);
        } catch (RuntimeException e) {
            failed(parameters, e, 0);
        }
    }

    /**
     * Moves the rows to the brokers of the node's list, first to last: each move to a broker
     * takes the rows stored for it and those no broker may hold ({@link Store#moveBatch}). An
     * unavailable broker's rows wait for it (until the takeover delay lets any move take
     * them); the others go on to the next broker. Throws when a broker was unavailable and
     * rows are left, or when no broker was available.
     */
    private void moveAll(Parameters parameters) {
        RouteFailure unavailable = null;
        int moving = -1; // the first broker that took rows (or had none to take) this tick
        for (int route = 0; route < breakers.size(); route++) {
            try {
                while (moveOne(parameters, route).more()) {
                    // batch after batch, until one shows no more rows for this broker
                }
                if (moving < 0) {
                    moving = route;
                }
            } catch (RuntimeException e) {
                if (!BrokerUnavailableException.isCauseOf(e)) {
                    throw new RouteFailure(route, e);
                }
                breakers.get(route).failed(parameters.probeIntervalMillis());
                if (unavailable == null) {
                    unavailable = new RouteFailure(route, e);
                }
                if (route + 1 < breakers.size()) {
                    LOG.warnf("FailoverProcessor: broker %d of the list is unavailable (%s); the rows kept for it wait for it"
                            + " (failover.takeover.delay), the others go to broker %d", route + 1, Failures.rootMessage(e), route + 2);
                }
            }
        }
        if (unavailable != null && (moving < 0 || store.count() > 0)) {
            throw unavailable;
        }
        try {
            openGate(parameters, moving);
        } catch (RuntimeException e) {
            throw new RouteFailure(moving, e); // its breaker, not the first one's
        }
    }

    /** A move that failed on the broker at {@code route}. */
    private static final class RouteFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int route;

        RouteFailure(int route, RuntimeException cause) {
            super(cause);
            this.route = route;
        }
    }

    /** In order-preserving mode, the last rows move while no new message can be stored. */
    private void openGate(Parameters parameters, int route) {
        Lock drain = gate.drain();
        drain.lock();
        try {
            while (moveOne(parameters, route).more()) {
                // keep moving until a batch shows the table is empty
            }
            if (store.count() == 0) {
                gate.drained();
            }
        } finally {
            drain.unlock();
        }
    }

    private Batch moveOne(Parameters parameters, int route) {
        Batch batch;
        Instant began = Instant.now();
        try {
            batch = store.moveBatch(route, parameters.batchSize(), parameters.batchBytes());
        } catch (RuntimeException e) {
            if (BrokerUnavailableException.isCauseOf(e)) {
                throw e;
            }
            LOG.warnf("FailoverProcessor: the broker refused a batch of up to %d message(s) (%s); moving them one at a time",
                    parameters.batchSize(), Failures.rootMessage(e));
            List<String> moved = moveAlone(parameters, route);
            batch = new Batch(moved, moved.size() == parameters.batchSize());
        }
        if (!batch.ids().isEmpty()) {
            breakers.get(route).succeeded();
            String where = breakers.size() == 1 ? parameters.targetStore() : parameters.targetStore() + " on broker " + (route + 1);
            for (String id : batch.ids()) {
                LOG.infof("Message %s moved from the failover store to %s", id, where);
                store.moved(id, began, where);
            }
        }
        return batch;
    }

    /**
     * Moves the oldest rows one at a time. A row that fails for another reason than an
     * unavailable broker keeps its place (its attempts count up) and the others go on.
     */
    private List<String> moveAlone(Parameters parameters, int route) {
        List<String> moved = new ArrayList<>();
        for (long sequence : store.oldest(route, parameters.batchSize())) {
            try {
                String id = store.moveAlone(route, sequence);
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

    private void failed(Parameters parameters, RuntimeException e, int route) {
        String error = Failures.rootMessage(e);
        boolean brokerUnavailable = BrokerUnavailableException.isCauseOf(e);
        if (brokerUnavailable) {
            breakers.get(route).failed(parameters.probeIntervalMillis());
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
