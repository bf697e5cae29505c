package io.surepost.forwarding;

import io.surepost.message.MonotonicClock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What the forwarding processor is doing, as the status page shows it, and the switch that
 * makes a deactivation take effect at once (before WildFly has stopped delivery, messages
 * that arrive are put back untouched). It also knows which deliveries are under way and
 * since when, so a processor waiting on a stalled backend shows as such. One per processor
 * and server, kept by {@link Processors}.
 */
public class ProcessorState {

    /**
     * AWAITING: just deployed, the state every node shares not read yet (ProcessorSyncTask);
     * WildFly starts the MDB's delivery at once (its delivery group is active), so messages
     * that arrive before then wait for it ({@link #awaitSharedState}), then go back untouched
     * unless it says the processor runs.
     */
    private enum Phase { AWAITING, RUNNING, DEACTIVATING, DEACTIVATED }

    private record Snapshot(Phase phase, String reason) {
    }

    private final LongSupplier clock;
    private final AtomicReference<Snapshot> state = new AtomicReference<>(new Snapshot(Phase.AWAITING,
            "waiting to read the state every node shares (SUREPOST_PROCESSOR)"));
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    /** Open once the first step has read the shared state (or a stop began). */
    private final java.util.concurrent.CountDownLatch decided = new java.util.concurrent.CountDownLatch(1);
    private volatile String lastFailure = "";

    public ProcessorState() {
        this(MonotonicClock::millis);
    }

    ProcessorState(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whether this message may be delivered; false before the shared state is read and while a deactivation is on its way. */
    public boolean mayDeliver() {
        Snapshot now = state.get();
        if (now.phase() == Phase.AWAITING || now.phase() == Phase.DEACTIVATING) {
            return false;
        }
        if (now.phase() == Phase.DEACTIVATED) {
            // WildFly delivers again after a deactivation: an operator started delivery
            state.compareAndSet(now, new Snapshot(Phase.RUNNING, ""));
        }
        return true;
    }

    /** Whether this processor is not running: not started yet, being deactivated, or deactivated. */
    public boolean notRunning() {
        return state.get().phase() != Phase.RUNNING;
    }

    /** Starts a deactivation; false if one is already under way. */
    public boolean deactivating(String reason) {
        Snapshot now = state.get();
        return now.phase() == Phase.RUNNING && state.compareAndSet(now, new Snapshot(Phase.DEACTIVATING, reason));
    }

    /** WildFly has stopped delivery. */
    public void deactivated() {
        Snapshot now = state.get();
        state.compareAndSet(now, new Snapshot(Phase.DEACTIVATED, now.reason()));
    }

    /** The shared state has been read and says the processor runs: delivery may begin. */
    public void sharedStateApplied() {
        Snapshot now = state.get();
        if (now.phase() == Phase.AWAITING) {
            state.compareAndSet(now, new Snapshot(Phase.RUNNING, ""));
        }
        decided.countDown();
    }

    /**
     * Waits, at most {@code millis}, until the state every node shares has been read (or a
     * stop has begun): a message that arrives just after deployment then waits in its session
     * rather than going back to the queue, where its redelivery delay would let the ones behind
     * it overtake it. False if it is still not known.
     */
    public boolean awaitSharedState(long millis) {
        try {
            return decided.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Delivery is being stopped here because the shared state says so (another node, or a
     * deactivation before a restart): from now on nothing is delivered, even before WildFly
     * has stopped delivery ({@link #deactivated} follows once it has).
     */
    public void stopping(String reason) {
        state.set(new Snapshot(Phase.DEACTIVATING, reason));
        decided.countDown();
    }

    /** A delivery attempt of this message starts. */
    public void attemptStarted(String messageId) {
        inFlight.put(messageId, clock.getAsLong());
    }

    /** The attempt is over, whatever its result. */
    public void attemptEnded(String messageId) {
        inFlight.remove(messageId);
    }

    public void delivered() {
        lastFailure = "";
    }

    public void failed(String reason) {
        lastFailure = reason;
    }

    /** {@code active}, {@code retrying: why}, or {@code inactive: why}. */
    public String describe(boolean deliveryActive) {
        Snapshot now = state.get();
        if (now.phase() != Phase.RUNNING && !deliveryActive) {
            return "inactive: " + now.reason();
        }
        if (!deliveryActive) {
            return "inactive: delivery stopped (is.active=false or an operator)";
        }
        if (now.phase() == Phase.DEACTIVATING || now.phase() == Phase.AWAITING) {
            return "inactive: " + now.reason();
        }
        return lastFailure.isEmpty() ? "active" : "retrying: " + lastFailure;
    }

    /**
     * The deliveries under way: {@code none}, or how many and the longest wait, e.g.
     * {@code 2, longest 12000 ms (message 01a2...)}; a long wait means a slow or stalled backend.
     */
    public String describeInFlight() {
        long now = clock.getAsLong();
        return inFlight.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .map(oldest -> inFlight.size() + ", longest " + (now - oldest.getValue()) + " ms (message " + oldest.getKey() + ")")
                .orElse("none");
    }
}
