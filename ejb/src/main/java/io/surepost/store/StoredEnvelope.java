package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.time.Instant;

/**
 * A message as a database store keeps it: its id and exactly what is needed to deliver it
 * as it was accepted. The failover and the dead-letter tables both embed it.
 */
@Embeddable
public class StoredEnvelope {

    /** The longest Content-Type kept (Proxy1 refuses longer ones). */
    public static final int MAX_CONTENT_TYPE = 255;

    /** The longest SOAPAction kept (Proxy1 refuses longer ones). */
    public static final int MAX_SOAP_ACTION = 1000;

    @Column(name = "MESSAGE_ID", nullable = false, length = 36)
    private String messageId;

    /**
     * The envelope bytes inline: VARBINARY on H2, bytea on PostgreSQL, never a large object
     * (no orphans, no auto-commit trap, and no separate LOB store to write and read per row:
     * on H2 a BLOB column cost the failover store about a third of its throughput).
     */
    @Column(name = "ENVELOPE", nullable = false, length = 16 * 1024 * 1024)
    @JdbcTypeCode(SqlTypes.VARBINARY)
    private byte[] envelope;

    @Column(name = "CONTENT_TYPE", nullable = false, length = MAX_CONTENT_TYPE)
    private String contentType;

    @Column(name = "SOAP_ACTION", nullable = false, length = MAX_SOAP_ACTION)
    private String soapAction;

    @Column(name = "RECEIVED_AT", nullable = false)
    private Instant receivedAt;

    protected StoredEnvelope() {
        // for JPA
    }

    StoredEnvelope(SoapMessage message) {
        this.messageId = message.id();
        this.envelope = message.envelope();
        this.contentType = message.contentType();
        this.soapAction = message.soapAction();
        this.receivedAt = message.receivedAt();
    }

    SoapMessage toMessage() {
        return new SoapMessage(messageId, receivedAt, envelope, contentType, soapAction);
    }

    String messageId() {
        return messageId;
    }

    /** Text columns hold at most 2,000 characters. */
    static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
