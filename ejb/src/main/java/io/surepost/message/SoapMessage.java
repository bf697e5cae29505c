package io.surepost.message;

import java.time.Instant;
import java.util.Objects;

/**
 * An accepted SOAP message: the envelope exactly as the client sent it, the HTTP headers
 * the backend needs to receive it the same way, and the id and time it was accepted with.
 * Every layer shares this type.
 */
public record SoapMessage(String id, Instant receivedAt, byte[] envelope, String contentType, String soapAction) {

    /** The JMS and HTTP names under which a message's metadata travels. */
    public static final class Headers {
        /** JMS property holding the message id. */
        public static final String JMS_MESSAGE_ID = "SurepostMessageId";
        /** JMS property holding the SOAPAction the message must be delivered with. */
        public static final String JMS_SOAP_ACTION = "SurepostSoapAction";
        /** JMS property holding the envelope's HTTP content type. */
        public static final String JMS_CONTENT_TYPE = "SurepostContentType";
        /** JMS property holding the receive time, epoch milliseconds. */
        public static final String JMS_RECEIVED_AT = "SurepostReceivedAt";
        /** JMS property: delivery attempts already made (absent on the first delivery). */
        public static final String JMS_ATTEMPTS = "SurepostAttempts";
        /** JMS property: the dead-letter reason, when only the dead-letter write is left to do. */
        public static final String JMS_DEAD_LETTER_PENDING = "SurepostDeadLetterPending";
        /** Artemis duplicate detection: the broker drops a second message with the same value. */
        public static final String JMS_DUPLICATE_ID = "_AMQ_DUPL_ID";
        /** HTTP header carrying the message id to the backend. */
        public static final String HTTP_MESSAGE_ID = "X-Surepost-Message-Id";

        private Headers() {
        }
    }

    public SoapMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(contentType, "contentType");
        soapAction = soapAction == null ? "" : soapAction;
    }

    /** A message just accepted: it gets its id and receive time here. */
    public static SoapMessage accept(byte[] envelope, String contentType, String soapAction) {
        long now = System.currentTimeMillis();
        return new SoapMessage(MessageId.next(now), Instant.ofEpochMilli(now), envelope, contentType, soapAction);
    }

    @Override
    public String toString() {
        return "SoapMessage[id=" + id + ", " + envelope.length + " bytes, contentType=" + contentType
                + ", soapAction=" + soapAction + "]";
    }
}
