package io.surepost.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes are gone, as one node sees them: a node is alive while its heartbeat counter
 * (in the shared database) keeps changing. Each observation notes, on this node's monotonic
 * clock, when a node's counter last changed; a node whose counter has not changed for
 * {@code silence} milliseconds is gone. A node seen for the first time counts as alive for
 * that long, so a node that just started does not take the rows of a node that is merely
 * slow. Time is never compared across nodes: their clocks may differ.
 * <p>
 * When this node has not read the counters for {@code staleAfter} milliseconds (the database
 * is away, or this node itself stood still: a long pause, a SIGSTOP), it cannot tell a gone
 * node from a live one, and takes none for gone.
 */
public final class NodeWatch {

    private record Seen(long beat, long changedAt) {
    }

    /** How long the last observation stays good for: a few beats (ClusterMembers beats every second). */
    public static final long STALE_AFTER_MILLIS = 5000;

    private final String self;
    private final long staleAfter;
    private final Map<String, Seen> seen = new HashMap<>();
    private boolean observed;
    private long observedAt;

    /**
     * @param self       this node's name: never gone to itself
     * @param staleAfter how long an observation stays good for
     */
    public NodeWatch(String self, long staleAfter) {
        this.self = self;
        this.staleAfter = staleAfter;
    }

    /** Records the counters read at {@code now} (monotonic milliseconds). */
    public synchronized void observe(Map<String, Long> beats, long now) {
        seen.keySet().retainAll(beats.keySet());
        beats.forEach((node, beat) -> {
            Seen before = seen.get(node);
            if (before == null || before.beat() != beat) {
                seen.put(node, new Seen(beat, now));
            }
        });
        observed = true;
        observedAt = now;
    }

    /**
     * The nodes gone at {@code now}: those whose counter has not changed for {@code silence}
     * milliseconds. None before the first observation, nor once the last is stale.
     */
    public synchronized Set<String> gone(long silence, long now) {
        Set<String> gone = new TreeSet<>();
        if (!observed || now - observedAt > staleAfter) {
            return gone;
        }
        seen.forEach((node, s) -> {
            if (!node.equals(self) && now - s.changedAt() >= silence) {
                gone.add(node);
            }
        });
        return gone;
    }
}
