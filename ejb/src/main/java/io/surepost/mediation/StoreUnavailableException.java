package io.surepost.mediation;

/**
 * No store took the message: the client must be told that nothing was stored and that it
 * can send the message again. The message is written for a person to read.
 */
public class StoreUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String messageId;

    public StoreUnavailableException(String messageId, String message, Throwable cause) {
        super(message, cause);
        this.messageId = messageId;
    }

    /** The id the message would have had; it was not stored under it. */
    public String getMessageId() {
        return messageId;
    }
}
