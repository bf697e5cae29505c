package io.surepost.store;

import jakarta.ejb.ApplicationException;

/**
 * The broker did not take a message. An application exception, so the container rolls the
 * transaction back and hands it to the caller as it is, without logging a stack trace for
 * what is an expected outage.
 */
@ApplicationException(rollback = true)
public class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
