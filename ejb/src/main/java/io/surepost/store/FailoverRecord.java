package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A message waiting in the failover store for its target store (the broker) to come back.
 * {@code sequence} is the insertion order: the failover processor moves rows oldest first.
 */
@Entity
@Table(name = "SUREPOST_FAILOVER", indexes = @Index(name = "SUREPOST_FAILOVER_MESSAGE_ID", columnList = "MESSAGE_ID", unique = true))
public class FailoverRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "surepost_failover_seq")
    @SequenceGenerator(name = "surepost_failover_seq", sequenceName = "SUREPOST_FAILOVER_SEQ", allocationSize = 50)
    @Column(name = "SEQUENCE_NO")
    private long sequence;

    @Embedded
    private StoredEnvelope message;

    /** store.failover: the store the message was meant for (message.target.store.name). */
    @Column(name = "TARGET_STORE", nullable = false, length = 100)
    private String targetStore;

    @Column(name = "STORED_AT", nullable = false)
    private Instant storedAt;

    /** The node that stored it (jboss.node.name): in a cluster, that node moves it back first. */
    @Column(name = "STORED_ON", length = 255)
    private String storedOn;

    /** Attempts of the failover processor to move the row back. */
    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    /** Why the message is here, then why the last move failed. */
    @Column(name = "LAST_ERROR", length = 2000)
    private String lastError;

    protected FailoverRecord() {
        // for JPA
    }

    public FailoverRecord(SoapMessage message, String targetStore, String reason, String storedOn) {
        this.message = new StoredEnvelope(message);
        this.targetStore = targetStore;
        this.storedOn = storedOn;
        this.storedAt = Instant.now();
        this.lastError = StoredEnvelope.truncate(reason);
    }

    public SoapMessage toMessage() {
        return message.toMessage();
    }

    /** The node that stored it ({@code STORED_ON} up to its '#'), or null for a row no node claims. */
    public String storedBy() {
        if (storedOn == null) {
            return null;
        }
        int mark = storedOn.indexOf('#');
        return mark < 0 ? storedOn : storedOn.substring(0, mark);
    }

    public long getSequence() {
        return sequence;
    }

    public String getMessageId() {
        return message.messageId();
    }

    public String getTargetStore() {
        return targetStore;
    }

    public Instant getStoredAt() {
        return storedAt;
    }

    public String getStoredOn() {
        return storedOn;
    }

    public int getAttempts() {
        return attempts;
    }

    public String getLastError() {
        return lastError;
    }
}
