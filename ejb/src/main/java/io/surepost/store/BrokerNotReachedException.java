package io.surepost.store;

import jakarta.ejb.ApplicationException;

/**
 * No connection to the broker could be made, so nothing was sent to it: unlike a send that
 * failed or timed out on the way (whose message the broker may hold after all), the message
 * can go to another broker without being queued twice.
 */
@ApplicationException(rollback = true)
public class BrokerNotReachedException extends BrokerUnavailableException {

    private static final long serialVersionUID = 1L;

    public BrokerNotReachedException(String message, Throwable cause) {
        super(message, cause);
    }
}
