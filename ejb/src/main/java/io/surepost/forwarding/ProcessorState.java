package io.surepost.forwarding;

import io.surepost.message.MonotonicClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What the forwarding processor is doing, as the status page shows it, and the switch that
 * makes a deactivation take effect at once (before WildFly has stopped delivery, messages
 * that arrive are put back untouched). It also knows which deliveries are under way and
 * since when, so a processor waiting on a stalled backend shows as such. One per server.
 */
@ApplicationScoped
public class ProcessorState {

    private enum Phase { RUNNING, DEACTIVATING, DEACTIVATED }

    private record Snapshot(Phase phase, String reason) {
    }

    private final LongSupplier clock;
    private final AtomicReference<Snapshot> state = new AtomicReference<>(new Snapshot(Phase.RUNNING, ""));
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private volatile String lastFailure = "";

    public ProcessorState() {
        this(MonotonicClock::millis);
    }

    ProcessorState(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whether this message may be delivered; false while a deactivation is on its way. */
    public boolean mayDeliver() {
        Snapshot now = state.get();
        if (now.phase() == Phase.DEACTIVATING) {
            return false;
        }
        if (now.phase() == Phase.DEACTIVATED) {
            // WildFly delivers again after a deactivation: an operator started delivery
            state.compareAndSet(now, new Snapshot(Phase.RUNNING, ""));
        }
        return true;
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
        if (now.phase() == Phase.DEACTIVATING) {
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
