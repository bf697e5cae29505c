package io.surepost.journey;

import io.surepost.message.Failures;
import io.surepost.store.JourneyStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes the journey buffer ({@link Journey}) to SUREPOST_JOURNEY every 250 ms, in batches
 * of at most 1,000 events per transaction, and once an hour deletes events older than
 * {@code surepost.journey.retention.days} (default 7). A write that fails puts its events
 * back and says so once; the next tick tries again.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class JourneyWriter {

    /** How long events are kept, in days (read live). */
    public static final String RETENTION_DAYS = "surepost.journey.retention.days";
    static final int DEFAULT_RETENTION_DAYS = 7;
    private static final long PERIOD_MILLIS = 250;
    private static final int BATCH = 1000;
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger("io.surepost.journey");

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Inject
    private Journey journey;

    @EJB
    private JourneyStore store;

    private ScheduledFuture<?> ticks;
    private volatile boolean failing;
    private Instant nextPurge = Instant.now().plusSeconds(60);

    @PostConstruct
    void start() {
        ticks = scheduler.scheduleWithFixedDelay(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ticks.cancel(false);
        tick(); // what the last quarter second recorded
    }

    private synchronized void tick() {
        JourneyBuffer buffer = journey.buffer();
        try {
            for (List<JourneyEvent> batch = buffer.take(BATCH); !batch.isEmpty(); batch = buffer.take(BATCH)) {
                try {
                    store.write(batch);
                } catch (RuntimeException e) {
                    buffer.putBack(batch);
                    if (!failing) {
                        LOG.warnf("The journey could not be written (%s); its events wait in memory (at most %d) and are tried"
                                + " again every %d ms. Messages are not affected.", Failures.rootMessage(e), Journey.CAPACITY, PERIOD_MILLIS);
                        failing = true;
                    }
                    return;
                }
            }
            if (failing) {
                LOG.info("The journey is written again");
                failing = false;
            }
            long dropped = buffer.takeDropped();
            if (dropped > 0) {
                LOG.warnf("%d journey event(s) were not recorded: the buffer was full while the database did not take them", dropped);
            }
            purgeWhenDue();
        } catch (RuntimeException e) {
            LOG.debugf(e, "journey tick failed");
        }
    }

    private void purgeWhenDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY);
        Instant cutoff = now.minus(Duration.ofDays(retentionDays()));
        int purged = 0;
        for (int n = store.purge(cutoff, BATCH); n > 0; n = store.purge(cutoff, BATCH)) {
            purged += n;
        }
        if (purged > 0) {
            LOG.infof("Deleted %d journey event(s) older than %s (%s)", purged, cutoff, RETENTION_DAYS);
        }
    }

    static int retentionDays() {
        try {
            int days = Integer.parseInt(System.getProperty(RETENTION_DAYS, String.valueOf(DEFAULT_RETENTION_DAYS)).trim());
            return days > 0 ? days : DEFAULT_RETENTION_DAYS;
        } catch (NumberFormatException e) {
            return DEFAULT_RETENTION_DAYS;
        }
    }
}
