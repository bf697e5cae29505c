package io.surepost.forwarding;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the forwarding processor is doing, as the status page shows it, and the switch that
 * makes a deactivation take effect at once (before WildFly has stopped delivery, messages
 * that arrive are put back untouched).
 */
public final class ProcessorState {

    /** The one forwarding processor of this server. */
    public static final ProcessorState INSTANCE = new ProcessorState();

    private enum Phase { RUNNING, DEACTIVATING, DEACTIVATED }

    private record Snapshot(Phase phase, String reason) {
    }

    private final AtomicReference<Snapshot> state = new AtomicReference<>(new Snapshot(Phase.RUNNING, ""));
    private volatile String lastFailure = "";

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
}
