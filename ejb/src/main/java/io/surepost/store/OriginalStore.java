package io.surepost.store;

import io.surepost.mediation.BrokerRoute;
import io.surepost.mediation.BrokerRoutes;
import io.surepost.message.SoapMessage;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The seed's "Original" message store: the {@code Original} queue on the Artemis broker.
 * <p>
 * {@link #send} runs outside any transaction: on a non-transacted session a persistent send
 * blocks until the broker has the message in its fsync'd journal ({@code block-on-durable-send}
 * on the producer factory, {@code journal-datasync} on the broker), so a caller that gets no
 * exception knows the broker has it on disk. One blocking round trip per message, where an XA
 * transaction would add start, end and commit round trips and a transaction log.
 * <p>
 * Each send names the broker it goes to, a route of the node's ordered broker list
 * ({@link BrokerRoutes}); retries go to the first, the node's own broker, which is the one
 * its forwarding processor consumes from.
 */
@Stateless
public class OriginalStore {

    private static final Logger LOG = Logger.getLogger("io.surepost.store");

    @Inject
    private BrokerRoutes routes;

    @Resource(lookup = "java:/jms/surepost/Original")
    private Queue original;

    /** Sends the message persistently; returns once the broker has confirmed it. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void send(SoapMessage message, BrokerRoute route) {
        sendEach(route.factory(), List.of(message), 0, 0, null, "message " + message.id());
        LOG.debugf("Message %s sent to Original on %s", message.id(), route.label());
    }

    /**
     * Puts a message whose delivery failed back on the queue for its next attempt, due after
     * {@code delayMillis}, in the caller's transaction (the one that consumed it). The
     * attempt count travels in the message, so it survives restarts of WildFly and broker.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
        sendEach(routes.first().factory(), List.of(message), attemptsSoFar, delayMillis, pendingDeadLetter,
                "the retry of message " + message.id());
    }

    /**
     * Sends in the caller's transaction: the failover processor sends a row and deletes it
     * in one (XA) transaction. The duplicate-detection id makes a second send of the same
     * message a no-op on the broker.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void sendInCurrentTransaction(List<SoapMessage> messages, BrokerRoute route) {
        sendEach(route.factory(), messages, 0, 0, null, messages.size() + " message(s)");
    }

    /**
     * Sends persistently, in the current transaction if there is one; attemptsSoFar &gt; 0
     * marks a retry, a pendingDeadLetter reason a message whose dead-letter write is due.
     */
    private void sendEach(ConnectionFactory connectionFactory, List<SoapMessage> messages, int attemptsSoFar, long delayMillis, String pendingDeadLetter, String what) {
        JMSContext connected;
        try {
            connected = connectionFactory.createContext();
        } catch (JMSRuntimeException e) {
            throw new BrokerNotReachedException("could not connect to the broker for " + what, e);
        }
        try (JMSContext context = connected) {
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setDeliveryDelay(delayMillis);
            for (SoapMessage message : messages) {
                BytesMessage jms = OriginalStoreMessages.toJms(context, message);
                if (attemptsSoFar > 0) {
                    jms.setIntProperty(SoapMessage.Headers.JMS_ATTEMPTS, attemptsSoFar);
                    // A re-send per attempt, so the broker's duplicate detection must tell attempts apart
                    jms.setStringProperty(SoapMessage.Headers.JMS_DUPLICATE_ID, message.id() + "#" + attemptsSoFar
                            + (pendingDeadLetter == null ? "" : "#dead-letter-" + System.nanoTime()));
                }
                if (pendingDeadLetter != null) {
                    jms.setStringProperty(SoapMessage.Headers.JMS_DEAD_LETTER_PENDING, pendingDeadLetter);
                }
                producer.send(original, jms);
            }
        } catch (JMSRuntimeException | JMSException e) {
            throw new BrokerUnavailableException("the broker did not take " + what, e);
        }
    }
}
