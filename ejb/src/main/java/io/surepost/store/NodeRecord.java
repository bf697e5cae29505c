package io.surepost.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One node's heartbeat in the shared database ({@code SUREPOST_NODE}): a counter the node
 * raises every second while it runs. Other nodes watch the counter, not the time, so a node's
 * clock (stepped, skewed) never makes it look dead; {@code SEEN_AT} is for the operator.
 */
@Entity
@Table(name = "SUREPOST_NODE")
public class NodeRecord {

    /** The node's name, jboss.node.name, as in the failover rows it stores (STORED_BY). */
    @Id
    @Column(name = "NAME", length = 255)
    private String name;

    @Column(name = "BEAT", nullable = false)
    private long beat;

    /** When the node last beat, by its own clock. */
    @Column(name = "SEEN_AT", nullable = false)
    private Instant seenAt;

    protected NodeRecord() {
        // for JPA
    }

    NodeRecord(String name) {
        this.name = name;
        this.beat = 1;
        this.seenAt = Instant.now();
    }
}
