package io.surepost.failover;

import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.message.Failures;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * What the failover processor does on each tick, as a plain class: when it is time, move
 * failover rows back to the target store batch by batch, oldest first, until the table is
 * empty; when the broker refuses, wait {@code client.retry.interval} before trying again.
 * It logs, as the seed's processor does, that it is trying, failing and moving.
 */
public final class FailoverDrain {

    /** What the drain needs from the container: the transactional moves and the table. */
    public interface Store {
        /** Moves up to {@code max} rows in one transaction; returns their ids. */
        List<String> moveBatch(int max);

        long count();

        /** Records a failed move against the oldest rows; returns the ids past {@code maxAttempts}. */
        List<String> recordFailedMove(int batch, String error, int maxAttempts);
    }

    /** The processor's state, as status shows it. */
    public enum State {
        ACTIVE, WAITING_FOR_BROKER, INACTIVE
    }

    /** The knobs of one tick, read from the settings each time. */
    public record Parameters(boolean active, int batchSize, long retryIntervalMillis, int maxAttempts,
                             long probeIntervalMillis, String targetStore) {
    }

    private static final Logger LOG = Logger.getLogger("io.surepost.failover");

    private final Store store;
    private final BrokerBreaker breaker;
    private final FailoverGate gate;
    private final LongSupplier clock;

    private volatile State state = State.ACTIVE;
    private volatile long nextAttemptAt;
    private volatile String lastError = "";

    public FailoverDrain(Store store, BrokerBreaker breaker, FailoverGate gate, LongSupplier clock) {
        this.store = store;
        this.breaker = breaker;
        this.gate = gate;
        this.clock = clock;
    }

    /** One tick of the processor's timer. */
    public void tick(Parameters parameters) {
        if (!parameters.active()) {
            state = State.INACTIVE;
            return;
        }
        if (state == State.INACTIVE) {
            state = State.ACTIVE;
        }
        if (clock.getAsLong() < nextAttemptAt) {
            return;
        }
        long waiting = store.count();
        if (waiting == 0) {
            try {
                openGate(parameters);
            } catch (RuntimeException e) {
                failed(parameters, e);
            }
            return;
        }
        LOG.infof("FailoverProcessor: %d message(s) wait in the failover store; trying to move them to %s",
                waiting, parameters.targetStore());
        try {
            List<String> batch;
            do {
                batch = moveOne(parameters);
            } while (batch.size() == parameters.batchSize());
            openGate(parameters);
            state = State.ACTIVE;
            lastError = "";
        } catch (RuntimeException e) {
            failed(parameters, e);
        }
    }

    /** In order-preserving mode, the last rows move while no new message can be stored. */
    private void openGate(Parameters parameters) {
        Lock drain = gate.drain();
        drain.lock();
        try {
            while (moveOne(parameters).size() == parameters.batchSize()) {
                // keep moving until a short batch shows the table is empty
            }
            gate.drained();
        } finally {
            drain.unlock();
        }
    }

    private List<String> moveOne(Parameters parameters) {
        List<String> ids = store.moveBatch(parameters.batchSize());
        if (!ids.isEmpty()) {
            breaker.succeeded();
            for (String id : ids) {
                LOG.infof("Message %s moved from the failover store to %s", id, parameters.targetStore());
            }
        }
        return ids;
    }

    private void failed(Parameters parameters, RuntimeException e) {
        String error = Failures.rootMessage(e);
        breaker.failed(parameters.probeIntervalMillis());
        state = State.WAITING_FOR_BROKER;
        lastError = error;
        nextAttemptAt = clock.getAsLong() + parameters.retryIntervalMillis();
        List<String> exhausted = store.recordFailedMove(parameters.batchSize(), error, parameters.maxAttempts());
        LOG.warnf("FailoverProcessor: could not move messages to %s: %s; next try in %d ms (client.retry.interval)",
                parameters.targetStore(), error, parameters.retryIntervalMillis());
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
