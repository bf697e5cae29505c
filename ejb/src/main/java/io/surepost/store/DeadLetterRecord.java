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
 * A message the forwarding processor gave up on: kept, with why, until an operator acts.
 * "Drop" in the seed's {@code max.delivery.drop} means this, never a discard.
 */
@Entity
@Table(name = "SUREPOST_DEAD_LETTER", indexes = @Index(name = "SUREPOST_DEAD_LETTER_MESSAGE_ID", columnList = "MESSAGE_ID"))
public class DeadLetterRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "surepost_dead_letter_seq")
    @SequenceGenerator(name = "surepost_dead_letter_seq", sequenceName = "SUREPOST_DEAD_LETTER_SEQ", allocationSize = 1)
    @Column(name = "SEQUENCE_NO")
    private long sequence;

    @Embedded
    private StoredEnvelope message;

    @Column(name = "DEAD_LETTERED_AT", nullable = false)
    private Instant deadLetteredAt;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    /** The last HTTP status, 0 when no response came. */
    @Column(name = "LAST_STATUS", nullable = false)
    private int lastStatus;

    @Column(name = "REASON", length = 2000)
    private String reason;

    /**
     * The forwarding processor that gave up (in the topic layout each delivers every message,
     * so a message may be a dead letter of one processor and delivered by the other). Null in
     * rows written before there was a second processor: those are the ForwardingProcessor's.
     */
    @Column(name = "PROCESSOR", length = 100)
    private String processor;

    protected DeadLetterRecord() {
        // for JPA
    }

    public DeadLetterRecord(SoapMessage message, String processor, int attempts, int lastStatus, String reason) {
        this.processor = processor;
        this.message = new StoredEnvelope(message);
        this.deadLetteredAt = Instant.now();
        this.attempts = attempts;
        this.lastStatus = lastStatus;
        this.reason = StoredEnvelope.truncate(reason);
    }

    public long getSequence() {
        return sequence;
    }

    public String getMessageId() {
        return message.messageId();
    }

    public SoapMessage toMessage() {
        return message.toMessage();
    }

    public Instant getDeadLetteredAt() {
        return deadLetteredAt;
    }

    public int getAttempts() {
        return attempts;
    }

    public int getLastStatus() {
        return lastStatus;
    }

    public String getReason() {
        return reason == null ? "" : reason;
    }

    /** The processor that gave up; rows written before there were two name none: the ForwardingProcessor's. */
    public String getProcessor() {
        return processor == null ? DeadLetterStore.FIRST_PROCESSOR : processor;
    }
}
