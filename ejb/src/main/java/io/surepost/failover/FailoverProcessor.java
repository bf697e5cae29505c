package io.surepost.failover;

import io.surepost.config.Settings;
import io.surepost.mediation.BrokerBreaker;
import io.surepost.mediation.FailoverGate;
import io.surepost.message.MonotonicClock;
import io.surepost.store.FailoverStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The seed's FailoverMessageProcessor: an EJB timer that, every {@code interval}, moves
 * messages from the failover store back to {@code message.target.store.name} (Original).
 * The work is {@link FailoverDrain}'s; each batch moves in its own XA transaction
 * ({@link FailoverMover}). Ticks never overlap: a tick that finds the previous one still
 * draining returns at once.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class FailoverProcessor {

    private static final Logger LOG = Logger.getLogger("io.surepost.failover");

    @Resource
    private TimerService timers;

    @EJB
    private FailoverMover mover;

    @EJB
    private FailoverStore failover;

    @Inject
    private BrokerBreaker breaker;

    @Inject
    private FailoverGate gate;

    private final AtomicBoolean running = new AtomicBoolean();
    private FailoverDrain drain;

    @PostConstruct
    void start() {
        drain = new FailoverDrain(new FailoverDrain.Store() {
            @Override
            public FailoverDrain.Batch moveBatch(int maxRows, long maxBytes) {
                return mover.moveBatch(maxRows, maxBytes);
            }

            @Override
            public List<Long> oldest(int max) {
                return failover.oldest(max);
            }

            @Override
            public String moveAlone(long sequence) {
                return mover.moveAlone(sequence);
            }

            @Override
            public long count() {
                return failover.count();
            }

            @Override
            public boolean recordFailedMoveOf(long sequence, String error, int maxAttempts) {
                return failover.recordFailedMove(sequence, error, maxAttempts);
            }

            @Override
            public List<String> recordFailedMove(int batch, String error, int maxAttempts) {
                return failover.recordFailedMove(batch, error, maxAttempts);
            }
        }, breaker, gate, MonotonicClock::millis);
        long interval = Settings.failoverIntervalMillis();
        timers.createIntervalTimer(interval, interval, new TimerConfig("FailoverProcessor", false));
        LOG.infof("FailoverProcessor started: interval=%d ms, client.retry.interval=%d ms, max.delivery.attempts=%d, is.active=%s, target %s",
                interval, Settings.failoverRetryIntervalMillis(), Settings.failoverMaxDeliveryAttempts(),
                Settings.failoverActive(), Settings.failoverTargetStore());
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick(Timer timer) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            drain.tick(new FailoverDrain.Parameters(Settings.failoverActive(), Settings.failoverBatchSize(), Settings.failoverBatchBytes(),
                    Settings.failoverRetryIntervalMillis(), Settings.failoverMaxDeliveryAttempts(),
                    Settings.brokerProbeIntervalMillis(), Settings.failoverTargetStore()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "FailoverProcessor tick failed; the rows stay in the failover store");
        } finally {
            running.set(false);
        }
    }

    /** For the status page. */
    public FailoverDrain.State state() {
        return drain.state();
    }

    public String lastError() {
        return drain.lastError();
    }

    public long waiting() {
        return failover.count();
    }
}
