package io.surepost.forwarding;

import io.surepost.message.Failures;
import io.surepost.message.MonotonicClock;
import io.surepost.store.FailoverStore;
import io.surepost.store.ProcessorStateStore;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@link ProcessorSync} for each forwarding processor every second, on WildFly's managed
 * scheduled executor: a deactivation (by the policy or an operator) on any node stops the
 * processor on every node that shares the database, and stays until someone starts it again,
 * across restarts; a start-delivery on any node starts it everywhere. Until the first step has
 * read the shared state, a message the MDB is handed waits for it, then goes back untouched if
 * the processor is not to run ({@link ProcessorState}):
 * WildFly starts an MDB's delivery at deployment whenever its delivery group is active, whatever
 * {@code @DeliveryActive} says, so delivery cannot simply be deployed off. No step runs while
 * the server is not running (starting, suspended, shutting down): a delivery stopped by the
 * server's own stop is no operator's deactivation and must not stop the other nodes. Each
 * processor has its own row ({@link Processors}): in the topic layout, stopping one leaves the
 * other delivering.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ProcessorSyncTask {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");
    private static final long PERIOD_MILLIS = 1000;
    /** While the deployment settles, a step that cannot reach the MDB yet is not worth a warning. */
    private static final long QUIET_START_MILLIS = 20_000;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @EJB
    private ProcessorStateStore store;

    @Inject
    private Processors processors;

    /** Per processor: its sync, and the last problem reported. */
    private final Map<String, ProcessorSync> syncs = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private ScheduledFuture<?> steps;
    private long started;

    @PostConstruct
    void start() {
        started = MonotonicClock.millis();
        // The ForwardingProcessor is deployed with its delivery on (its delivery group is
        // active), the SecondForwardingProcessor with it off (@DeliveryActive(false))
        syncs.put(Processors.FORWARDING, new ProcessorSync(true));
        syncs.put(Processors.SECOND, new ProcessorSync(false));
        steps = scheduler.scheduleWithFixedDelay(this::step, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        steps.cancel(false);
    }

    /** Records a deactivation of the processor for every node (the forwarding policy's, before it stops delivery here). */
    public void deactivatedHere(String processor, String reason) {
        store.write(processor, false, reason, nodeName());
    }

    /** The forwarding policy has stopped delivery here, after {@link #deactivatedHere}. */
    public void stoppedHere(String processor) {
        syncs.get(processor).stoppedHere();
    }

    private void step() {
        if (!ProcessorControl.serverRunning()) {
            return;
        }
        for (String processor : processors.names()) {
            step(processor);
        }
    }

    private void step(String processor) {
        ProcessorState state = processors.state(processor);
        try {
            syncs.get(processor).step(new ProcessorSync.SharedState() {
                @Override
                public ProcessorSync.Shared read() {
                    return store.read(processor).map(r -> new ProcessorSync.Shared(r.isActive(),
                            r.getReason() + (r.getChangedOn() == null ? "" : " [" + r.getChangedOn() + "]")))
                            .orElse(ProcessorSync.Shared.NONE);
                }

                @Override
                public void write(boolean active, String reason) {
                    store.write(processor, active, reason, nodeName());
                    LOG.infof("%s %s on this node: every node follows", processor, active ? "started" : "stopped");
                }
            }, new ProcessorSync.Node() {
                @Override
                public boolean deliveryActive() {
                    try {
                        return ProcessorControl.mdbDeliveryActive(processor);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot read the " + processor + "'s delivery state", e);
                    }
                }

                @Override
                public void startDelivery() {
                    try {
                        ProcessorControl.startDelivery(processor);
                        LOG.infof("%s started on this node, as the state every node shares says", processor);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start the " + processor + "'s delivery", e);
                    }
                }

                @Override
                public void stopDelivery(String reason) {
                    state.stopping(reason); // nothing is delivered from here on, while WildFly stops delivery
                    try {
                        if (ProcessorControl.mdbDeliveryActive(processor)) {
                            ProcessorControl.stopDelivery(processor);
                        }
                        state.deactivated();
                        LOG.warnf("%s inactive on this node, as on every node: %s", processor, reason);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot stop the " + processor + "'s delivery", e);
                    }
                }
            }, nodeName());
            state.sharedStateApplied(); // a stop the shared state asked for has already made it inactive
            if (!problems.getOrDefault(processor, "").isEmpty()) {
                LOG.infof("%s state is in step with the cluster again", processor);
                problems.remove(processor);
            }
        } catch (RuntimeException e) {
            String now = String.valueOf(e.getMessage());
            if (MonotonicClock.millis() - started < QUIET_START_MILLIS) {
                LOG.debugf(e, "%s state not synchronised yet (the MDB may still be deploying)", processor);
            } else if (!now.equals(problems.put(processor, now))) {
                LOG.warnf("%s state could not be synchronised with the cluster (it is tried every second): %s",
                        processor, Failures.rootMessage(e));
            }
        }
    }

    private static String nodeName() {
        return FailoverStore.node();
    }
}
