package io.surepost.store;

import jakarta.ejb.ApplicationException;
import java.util.Locale;
import java.util.Set;

/**
 * The broker did not take a message: it cannot be reached, it did not answer in time, or it
 * refused to take more. An application exception, so the container rolls the transaction
 * back and hands it to the caller as it is, without logging a stack trace for what is an
 * expected outage.
 */
@ApplicationException(rollback = true)
public class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Artemis client exceptions that mean the broker cannot be reached or does not answer. */
    private static final Set<String> UNAVAILABLE_TYPES = Set.of("ActiveMQNotConnectedException",
            "ActiveMQConnectionTimedOutException", "ActiveMQDisconnectedException", "ActiveMQUnBlockedException",
            "ActiveMQAddressFullException", "ResourceAllocationException");

    /** Artemis codes of the same: cannot connect, channel disconnected, connection destroyed, timed out, connection failure. */
    private static final Set<String> UNAVAILABLE_CODES = Set.of("AMQ219006", "AMQ219007", "AMQ219010", "AMQ219014", "AMQ219016");

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the broker's unavailability caused this failure. A transaction that the broker
     * rolled back (a duplicate id), a database error or an XA error is not unavailability:
     * it must not send new messages to the failover store.
     */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BrokerUnavailableException || UNAVAILABLE_TYPES.contains(t.getClass().getSimpleName())) {
                return true;
            }
            String text = t.getMessage() == null ? "" : t.getMessage().toUpperCase(Locale.ROOT);
            for (String code : UNAVAILABLE_CODES) {
                if (text.contains(code)) {
                    return true;
                }
            }
        }
        return false;
    }
}
