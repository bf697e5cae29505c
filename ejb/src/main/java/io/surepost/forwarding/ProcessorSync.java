package io.surepost.forwarding;

/**
 * Keeps one node's processor in step with the state the cluster shares (a row in the shared
 * database), both ways, one step per call:
 * <ul>
 * <li>this node's delivery changed since the last step, or since deployment (WildFly deploys
 *     the MDB, for the ForwardingProcessor with its delivery on): an operator's start-delivery or stop-delivery, or the
 *     forwarding policy, here; that becomes the shared state. So an operator's stop right
 *     after a deployment, before the first step, is kept, not undone;</li>
 * <li>otherwise the shared state, where it differs from this node's, applies here (another
 *     node's change; a processor deactivated before a restart stays inactive). On the first
 *     step a shared deactivation is applied even where delivery already is off, so this node
 *     knows why.</li>
 * </ul>
 * Plain class; {@link ProcessorSyncTask} runs it every second.
 */
public final class ProcessorSync {

    /** The shared state: whether the processor runs, and why not. */
    public record Shared(boolean active, String reason) {
        static final Shared NONE = new Shared(true, "");
    }

    /** The shared row. */
    public interface SharedState {
        /** The state last chosen, or {@link Shared#NONE}. */
        Shared read();

        void write(boolean active, String reason);
    }

    /** This node's delivery (WildFly's MDB delivery control). */
    public interface Node {
        boolean deliveryActive();

        void startDelivery();

        /** Stops delivery because of the shared state: {@code reason} says who chose it and why. */
        void stopDelivery(String reason);
    }

    /** This node's delivery at the last step; before the first, as WildFly deploys it. */
    private boolean applied;
    private boolean stepped;

    /** For the ForwardingProcessor, which WildFly deploys with its delivery on. */
    public ProcessorSync() {
        this(true);
    }

    /** @param deployedActive whether WildFly deploys the MDB with its delivery on ({@code @DeliveryActive}) */
    public ProcessorSync(boolean deployedActive) {
        this.applied = deployedActive;
    }

    /**
     * This node stopped delivery itself after recording the stop as the shared state (the
     * forwarding policy's deactivation): the stop is the shared state already, so the next
     * step must not take an operator's start that follows for no change at all and undo it.
     */
    public synchronized void stoppedHere() {
        applied = false;
        stepped = true;
    }

    public synchronized void step(SharedState shared, Node node, String nodeName) {
        boolean local = node.deliveryActive();
        Shared chosen = shared.read();
        if (local != applied) {
            // Changed here: the cluster follows, unless the change already was the shared one
            if (chosen.active() != local) {
                shared.write(local, local ? "" : "stopped on " + nodeName + " (start-delivery on any node starts it everywhere)");
            }
            applied = local;
            stepped = true;
            return;
        }
        if (chosen.active() != local || (!stepped && !chosen.active())) {
            if (chosen.active()) {
                node.startDelivery();
            } else {
                node.stopDelivery(chosen.reason());
            }
            local = node.deliveryActive(); // should that fail, the next step tries again
        }
        applied = local;
        stepped = true;
    }
}
