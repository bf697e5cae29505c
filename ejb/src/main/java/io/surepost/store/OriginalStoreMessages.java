package io.surepost.store;

import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
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
        BytesMessage jms = context.createBytesMessage();
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

    /** Reads back a message that {@link #send} stored. */
    public static SoapMessage fromJms(Message jms) throws JMSException {
        if (!(jms instanceof BytesMessage bytes)) {
            throw new JMSException("Original holds a " + jms.getClass().getSimpleName()
                    + " (JMS id " + jms.getJMSMessageID() + "); Surepost stores only BytesMessages");
        }
        byte[] envelope = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(envelope);
        return new SoapMessage(
                jms.getStringProperty(Headers.JMS_MESSAGE_ID),
                Instant.ofEpochMilli(jms.getLongProperty(Headers.JMS_RECEIVED_AT)),
                envelope,
                jms.getStringProperty(Headers.JMS_CONTENT_TYPE),
                jms.getStringProperty(Headers.JMS_SOAP_ACTION));
    }
}
