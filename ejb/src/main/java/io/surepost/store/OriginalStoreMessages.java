package io.surepost.store;

import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.time.Instant;

/**
 * How a {@link SoapMessage} is kept in the Original queue: the envelope bytes as the body of
 * a BytesMessage (verbatim, whatever its encoding), the rest as properties. The duplicate-
 * detection id is the message id, so a re-send of the same message is dropped by the broker.
 */
public final class OriginalStoreMessages {

    private OriginalStoreMessages() {
    }

    public static BytesMessage toJms(JMSContext context, SoapMessage message) {
        return fill(context.createBytesMessage(), message);
    }

    /** The same, on a session of the classic API (the sender lanes' transacted sessions). */
    public static BytesMessage toJms(Session session, SoapMessage message) throws JMSException {
        return fill(session.createBytesMessage(), message);
    }

    private static BytesMessage fill(BytesMessage jms, SoapMessage message) {
        try {
            jms.writeBytes(message.envelope());
            jms.setStringProperty(Headers.JMS_MESSAGE_ID, message.id());
            jms.setStringProperty(Headers.JMS_DUPLICATE_ID, message.id());
            jms.setStringProperty(Headers.JMS_SOAP_ACTION, message.soapAction());
            jms.setStringProperty(Headers.JMS_CONTENT_TYPE, message.contentType());
            jms.setLongProperty(Headers.JMS_RECEIVED_AT, message.receivedAt().toEpochMilli());
        } catch (JMSException e) {
            throw new IllegalStateException("Could not build the JMS message for " + message.id(), e);
        }
        return jms;
    }

    /**
     * A message's turn on the forwarding processor: the message, the delivery attempts it has
     * had, and the dead-letter reason when only its dead-letter write is left to do.
     */
    public record Turn(SoapMessage message, int attemptsSoFar, String pendingDeadLetter) {
    }

    /** Reads a message the Original store holds; throws when it is not one Surepost stored. */
    public static Turn turnOf(Message jms) throws JMSException {
        SoapMessage message = fromJms(jms);
        int attempts = jms.propertyExists(Headers.JMS_ATTEMPTS) ? jms.getIntProperty(Headers.JMS_ATTEMPTS) : 0;
        return new Turn(message, attempts, jms.getStringProperty(Headers.JMS_DEAD_LETTER_PENDING));
    }

    /**
     * Whatever can be read of a message Surepost did not store (or cannot read), so that it can
     * be kept in the dead-letter store: its id (Surepost's, or the JMS one), time and body.
     */
    public static SoapMessage asFoundOnTheQueue(Message jms) {
        String id = readOr(() -> jms.getStringProperty(Headers.JMS_MESSAGE_ID), null);
        if (id == null || id.isBlank() || id.length() > 36) {
            String jmsId = readOr(jms::getJMSMessageID, "");
            id = jmsId.startsWith("ID:") ? jmsId.substring(3) : jmsId;
            id = id.isBlank() ? "unknown-" + System.nanoTime() : id.substring(0, Math.min(36, id.length()));
        }
        long timestamp = readOr(jms::getJMSTimestamp, 0L);
        byte[] body = readOr(() -> {
            if (jms instanceof BytesMessage bytes) {
                bytes.reset();
                byte[] all = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(all);
                return all;
            }
            if (jms instanceof jakarta.jms.TextMessage text && text.getText() != null) {
                return text.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            return new byte[0];
        }, new byte[0]);
        String contentType = readOr(() -> jms.getStringProperty(Headers.JMS_CONTENT_TYPE), null);
        return new SoapMessage(id, Instant.ofEpochMilli(timestamp), body,
                contentType == null ? "application/octet-stream" : contentType, readOr(() -> jms.getStringProperty(Headers.JMS_SOAP_ACTION), ""));
    }

    private interface JmsRead<T> {
        T read() throws JMSException;
    }

    private static <T> T readOr(JmsRead<T> read, T fallback) {
        try {
            T value = read.read();
            return value == null ? fallback : value;
        } catch (JMSException | RuntimeException e) {
            return fallback;
        }
    }

    /** Reads back a message that {@link OriginalStore} stored. */
    static SoapMessage fromJms(Message jms) throws JMSException {
        if (!(jms instanceof BytesMessage bytes)) {
            throw new JMSException("Original holds a " + jms.getClass().getSimpleName()
                    + " (JMS id " + jms.getJMSMessageID() + "); Surepost stores only BytesMessages");
        }
        byte[] envelope = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(envelope);
        String id = jms.getStringProperty(Headers.JMS_MESSAGE_ID);
        String contentType = jms.getStringProperty(Headers.JMS_CONTENT_TYPE);
        if (id == null || contentType == null || !jms.propertyExists(Headers.JMS_RECEIVED_AT)) {
            throw new JMSException("the message (JMS id " + jms.getJMSMessageID() + ") lacks Surepost's id, content type or receive time");
        }
        return new SoapMessage(id, Instant.ofEpochMilli(jms.getLongProperty(Headers.JMS_RECEIVED_AT)), envelope, contentType,
                jms.getStringProperty(Headers.JMS_SOAP_ACTION));
    }
}
