package io.surepost.failover;

import io.surepost.cluster.ClusterMembers;
import io.surepost.config.FailoverConfiguration;
import io.surepost.config.FailoverSettings;
import io.surepost.config.StoreConfiguration;
import io.surepost.journey.Journey;
import io.surepost.journey.JourneyEvent;
import io.surepost.mediation.BrokerRoutes;
import io.surepost.mediation.FailoverGate;
import io.surepost.metrics.SurepostMetrics;
import io.surepost.message.MonotonicClock;
import io.surepost.store.FailoverStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The seed's FailoverMessageProcessor: every {@code interval} it moves messages from the
 * failover store back to {@code message.target.store.name} (Original). The work is
 * {@link FailoverDrain}'s; each batch moves in its own XA transaction ({@link FailoverMover}).
 * <p>
 * It runs as a fixed-delay task on a thread of its own (made by WildFly's managed thread
 * factory), not as an EJB timer: WildFly's non-persistent EJB timers run on a
 * {@code java.util.Timer}, which follows the wall clock, so a clock step backwards (NTP, an
 * operator) stalled the drain for as long as the step. The executor measures its delays on the
 * monotonic clock, and a fixed delay means ticks never overlap: the next starts
 * {@code interval} after the previous one ended. Not the shared managed scheduled executor
 * either: with the database frozen, the journey writer, the store gauges, the member heartbeat
 * and the processor sync each held one of its threads (4 on two cores) in a database call, the
 * tick found no thread to start on, and the stall watch had no tick to report.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class FailoverProcessor {

    private static final Logger LOG = Logger.getLogger("io.surepost.failover");

    /** How long undeploying waits for a tick under way to end its batch. */
    private static final long STOP_WAIT_SECONDS = 30;

    /** How often the watch looks whether a tick has gone on past {@code surepost.failover.stall.warning}. */
    private static final long STALL_CHECK_MILLIS = 5_000;

    /** For the tick's own thread and the stall watch's: neither may wait for a thread other work holds (a frozen database). */
    @Resource
    private ManagedThreadFactory threads;

    @EJB
    private FailoverMover mover;

    @EJB
    private FailoverStore failover;

    @EJB
    private ClusterMembers members;

    @Inject
    private BrokerRoutes routes;

    @Inject
    private Journey journey;

    @Inject
    private SurepostMetrics metrics;

    @Inject
    private FailoverGate gate;

    @Inject
    private FailoverConfiguration configuration;

    @Inject
    private StoreConfiguration storeConfiguration;

    private FailoverDrain drain;
    private ScheduledExecutorService ticks;
    private ScheduledExecutorService stallChecks;
    private final StallWatch stallWatch = new StallWatch();

    @PostConstruct
    void start() {
        drain = new FailoverDrain(new FailoverDrain.Store() {
            @Override
            public FailoverDrain.Batch moveBatch(int route, int maxRows, long maxBytes) {
                return mover.moveBatch(route, maxRows, maxBytes);
            }

            @Override
            public List<Long> oldest(int route, int max) {
                return failover.oldest(route + 1, max, members.gone());
            }

            @Override
            public String moveAlone(int route, long sequence) {
                return mover.moveAlone(route, sequence);
            }

            @Override
            public long count() {
                return failover.countClaimable(members.gone());
            }

            @Override
            public boolean recordFailedMoveOf(long sequence, String error, int maxAttempts) {
                return failover.recordFailedMove(sequence, error, maxAttempts);
            }

            @Override
            public void moved(String messageId, Instant began, String where) {
                journey.record(messageId, began, JourneyEvent.Kind.MOVED, 0, -1, "to " + where);
                metrics.moved(1);
            }

            @Override
            public List<String> recordFailedMove(int batch, String error, int maxAttempts) {
                return failover.recordFailedMove(batch, error, maxAttempts, members.gone());
            }
        }, routes::breakers, gate, MonotonicClock::millis);
        FailoverSettings settings = configuration.current();
        long interval = settings.intervalMillis();
        ticks = Executors.newSingleThreadScheduledExecutor(threads);
        ticks.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        stallChecks = Executors.newSingleThreadScheduledExecutor(threads);
        stallChecks.scheduleWithFixedDelay(this::checkStall, STALL_CHECK_MILLIS, STALL_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.infof("FailoverProcessor started: interval=%d ms, client.retry.interval=%d ms, max.delivery.attempts=%d, is.active=%s, target %s",
                interval, settings.retryIntervalMillis(), settings.maxAttempts(), settings.active(), settings.targetStore());
    }

    @PreDestroy
    void stop() {
        ticks.shutdown(); // no tick starts from here on
        stallChecks.shutdownNow();
        // A tick under way finishes its batch (its transaction decides what moved); wait for it, within bounds
        try {
            if (!ticks.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("FailoverProcessor: a tick was still moving rows %d s after the stop; it is interrupted", STOP_WAIT_SECONDS);
                ticks.shutdownNow();
            }
        } catch (InterruptedException e) {
            ticks.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** One tick; it never throws, since an exception would end the fixed-delay schedule for good. */
    private void tick() {
        stallWatch.began(MonotonicClock.millis());
        try {
            FailoverSettings settings = configuration.current();
            drain.tick(new FailoverDrain.Parameters(settings.active(), settings.batchSize(), settings.batchBytes(),
                    settings.retryIntervalMillis(), settings.maxAttempts(),
                    storeConfiguration.current().brokerProbeIntervalMillis(), settings.targetStore()));
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "FailoverProcessor tick failed; the rows stay in the failover store");
        } finally {
            stallWatch.ended();
        }
    }

    /**
     * Logs a tick that has gone on past {@code surepost.failover.stall.warning}, with where its
     * thread is; it never throws, for the same reason as {@link #tick}.
     */
    private void checkStall() {
        try {
            stallWatch.check(MonotonicClock.millis(), configuration.current().stallWarningMillis()).ifPresent(stall ->
                    LOG.warnf("FailoverProcessor: a tick has been under way for %d s (surepost.failover.stall.warning); its rows stay"
                            + " claimed by its transaction until it ends. Thread %s is at:%s",
                            stall.runningMillis() / 1000, stall.thread(), stall.stack()));
        } catch (RuntimeException e) {
            LOG.debugf("FailoverProcessor: could not look at the tick under way: %s", e);
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
