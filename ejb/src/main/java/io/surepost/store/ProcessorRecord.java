package io.surepost.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Whether a processor is active, for every node that shares the database: the state an
 * operator or the forwarding policy last chose, who chose it and why. It outlives restarts.
 */
@Entity
@Table(name = "SUREPOST_PROCESSOR")
public class ProcessorRecord {

    @Id
    @Column(name = "NAME", length = 64)
    private String name;

    @Column(name = "ACTIVE", nullable = false)
    private boolean active;

    @Column(name = "REASON", length = 2000)
    private String reason;

    /** The node that made the change (jboss.node.name). */
    @Column(name = "CHANGED_ON", length = 255)
    private String changedOn;

    @Column(name = "CHANGED_AT", nullable = false)
    private Instant changedAt;

    protected ProcessorRecord() {
        // for JPA
    }

    ProcessorRecord(String name) {
        this.name = name;
    }

    void change(boolean active, String reason, String node) {
        this.active = active;
        this.reason = StoredEnvelope.truncate(reason);
        this.changedOn = node;
        this.changedAt = Instant.now();
    }

    public boolean isActive() {
        return active;
    }

    public String getReason() {
        return reason == null ? "" : reason;
    }

    public String getChangedOn() {
        return changedOn;
    }

    public Instant getChangedAt() {
        return changedAt;
    }
}
