package io.surepost.cluster;

import io.surepost.config.FailoverConfiguration;
import io.surepost.message.Failures;
import io.surepost.message.MonotonicClock;
import io.surepost.store.FailoverStore;
import io.surepost.store.NodeStore;
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
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This node's heartbeat in the shared database, and its view of which nodes are alive
 * ({@link NodeWatch}): every second it raises its own counter and reads everyone's. The
 * failover drain moves another node's rows only once that node is gone (silent for
 * {@code failover.takeover.delay}): a live node moves its own rows, through its own brokers,
 * however slow a move of them is. The beat runs on its own task, never behind a move.
 * <p>
 * At start it also registers, with a counter that never moves, any node named in the failover
 * table that never beat (rows stored before nodes had heartbeats, or by a node since renamed):
 * once silent for the delay, those are gone too, and their rows are moved.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ClusterMembers {

    private static final Logger LOG = Logger.getLogger("io.surepost.cluster");

    /** The pause between two beats. */
    static final long BEAT_MILLIS = 1000;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @EJB
    private NodeStore nodes;

    @Inject
    private FailoverConfiguration configuration;

    private NodeWatch watch;
    private ScheduledFuture<?> beats;
    private volatile boolean failing;

    @PostConstruct
    void start() {
        watch = new NodeWatch(FailoverStore.node(), NodeWatch.STALE_AFTER_MILLIS);
        beat(); // before the first move of a row, when the database answers
        try {
            nodes.adoptSilentOwners();
        } catch (RuntimeException e) {
            LOG.debugf("Node %s: the owners of older failover rows were not registered (%s); another node's start will",
                    FailoverStore.node(), Failures.rootMessage(e));
        }
        beats = scheduler.scheduleWithFixedDelay(this::beat, BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        beats.cancel(false);
    }

    /** One beat; it never throws, since an exception would end the fixed-delay schedule for good. */
    private void beat() {
        try {
            nodes.beat(FailoverStore.node());
            watch.observe(nodes.beats(), MonotonicClock.millis());
            if (failing) {
                failing = false;
                LOG.infof("Node %s: its heartbeat reaches the database again", FailoverStore.node());
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warnf("Node %s: its heartbeat could not reach the database (%s); until it does, this node moves"
                        + " no other node's failover rows", FailoverStore.node(), Failures.rootMessage(e));
            }
        }
    }

    /** The nodes gone now (silent for failover.takeover.delay); none while the heartbeats cannot be read. */
    public Set<String> gone() {
        return watch.gone(configuration.current().takeoverDelayMillis(), MonotonicClock.millis());
    }
}
