package io.surepost.ws;

/** The request is not a SOAP message Proxy1 can accept; the message says why, for a person. */
public class InvalidEnvelopeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    public InvalidEnvelopeException(String message) {
        this(400, message);
    }

    public InvalidEnvelopeException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** 400 for a bad request, 413 for one that is too large, 415 for a wrong content type. */
    public int getHttpStatus() {
        return httpStatus;
    }
}
