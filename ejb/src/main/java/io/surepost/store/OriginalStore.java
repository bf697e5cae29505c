package io.surepost.store;

import io.surepost.config.StoreConfiguration;
import io.surepost.mediation.BrokerRoute;
import io.surepost.mediation.BrokerRoutes;
import io.surepost.message.SoapMessage;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The seed's "Original" message store: the {@code Original} queue on the Artemis broker, or
 * the {@code Original} topic with a durable shared subscription per forwarding processor
 * ({@link OriginalLayout}).
 * <p>
 * New messages from the accept path go through {@link io.surepost.mediation.BrokerSenders}
 * (group commit); this bean sends the rest: retries, replays and the failover processor's
 * moves, each in its caller's transaction or, a move on its own, as a blocking durable send
 * ({@code block-on-durable-send} on the producer factory, {@code journal-datasync} on the
 * broker), so a caller that gets no exception knows the broker has it on disk.
 * <p>
 * Each send names the broker it goes to, a route of the node's ordered broker list
 * ({@link BrokerRoutes}); retries go to the first, the node's own broker, which is the one
 * its forwarding processor consumes from.
 * <p>
 * In the order-preserving mode ({@code surepost.store.preserve.order}) each message carries
 * the name of the node that accepted it as its JMS group ({@code JMSXGroupID}): the broker
 * hands a group to one consumer session at a time, in order, and never redistributes it, so
 * the messages one node accepted reach the backend in that order (per node, not across nodes).
 */
@Stateless
public class OriginalStore {

    private static final Logger LOG = Logger.getLogger("io.surepost.store");

    @Inject
    private BrokerRoutes routes;

    @Inject
    private StoreConfiguration configuration;

    private OriginalLayout layout;

    @PostConstruct
    void readLayout() {
        layout = OriginalLayout.current();
    }

    /**
     * Puts a message whose delivery failed back on the queue for its next attempt, due after
     * {@code delayMillis}, in the caller's transaction (the one that consumed it). The
     * attempt count travels in the message, so it survives restarts of WildFly and broker. In
     * the topic layout it goes to {@code processor}'s own subscription only.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void reschedule(SoapMessage message, String processor, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
        sendEach(routes.first().factory(), List.of(message), m -> null, processor, attemptsSoFar, delayMillis, pendingDeadLetter,
                "the retry of message " + message.id());
    }

    /**
     * Puts a dead letter back, in the caller's transaction (the one that removes it from the
     * dead-letter store), with a fresh attempt count: on the queue, or in the topic layout on
     * {@code processor}'s own subscription only. {@code duplicateId} tells this replay apart
     * from the message's first send (and from its other replays) for the broker's duplicate
     * detection.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void replay(SoapMessage message, String processor, String duplicateId) {
        sendEach(routes.first().factory(), List.of(message), m -> groupOf(FailoverStore.node()), layout.topic() ? processor : null,
                0, 0, null, "the replay of message " + message.id(), duplicateId);
    }

    /**
     * Sends in the caller's transaction: the failover processor sends a row and deletes it
     * in one (XA) transaction. The duplicate-detection id makes a second send of the same
     * message a no-op on the broker.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void sendInCurrentTransaction(List<FailoverRecord> rows, BrokerRoute route) {
        Map<String, String> storedBy = new HashMap<>();
        rows.forEach(row -> storedBy.put(row.getMessageId(), row.storedBy()));
        sendEach(route.factory(), rows.stream().map(FailoverRecord::toMessage).toList(), m -> groupOf(storedBy.get(m.id())),
                null, 0, 0, null, rows.size() + " message(s)");
    }

    /**
     * Sends a row back on its own, persistently and outside any transaction; in the
     * order-preserving mode in the group of the node that stored it.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void sendAlone(FailoverRecord row, BrokerRoute route) {
        sendEach(route.factory(), List.of(row.toMessage()), m -> groupOf(row.storedBy()), null, 0, 0, null,
                "message " + row.getMessageId());
    }

    /** The JMS group of a message {@code node} accepted: its name in the order-preserving mode, else none. */
    private String groupOf(String node) {
        return configuration.current().preserveOrder() ? groupName(node) : null;
    }

    private static String groupName(String node) {
        return node != null && !node.isEmpty() ? node : null;
    }

    /**
     * Sends persistently, in the current transaction if there is one; attemptsSoFar &gt; 0
     * marks a retry (of {@code processor}'s), a pendingDeadLetter reason a message whose
     * dead-letter write is due.
     */
    private void sendEach(ConnectionFactory connectionFactory, List<SoapMessage> messages, Function<SoapMessage, String> group,
                          String processor, int attemptsSoFar,
                          long delayMillis, String pendingDeadLetter, String what) {
        sendEach(connectionFactory, messages, group, processor, attemptsSoFar, delayMillis, pendingDeadLetter, what, null);
    }

    /** The same, with the duplicate-detection id {@code duplicateId} instead of the message id when it is not null. */
    private void sendEach(ConnectionFactory connectionFactory, List<SoapMessage> messages, Function<SoapMessage, String> group,
                          String processor, int attemptsSoFar,
                          long delayMillis, String pendingDeadLetter, String what, String duplicateId) {
        JMSContext connected;
        try {
            connected = connectionFactory.createContext();
        } catch (JMSRuntimeException e) {
            throw new BrokerNotReachedException("could not connect to the broker for " + what, e);
        }
        try (JMSContext context = connected) {
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setDeliveryDelay(delayMillis);
            Destination original = processor == null ? layout.forNewMessages(context) : layout.forRetry(context, processor);
            for (SoapMessage message : messages) {
                BytesMessage jms = OriginalStoreMessages.toJms(context, message);
                if (attemptsSoFar > 0) {
                    jms.setIntProperty(SoapMessage.Headers.JMS_ATTEMPTS, attemptsSoFar);
                    // A re-send per attempt (and, on the topic, per processor), so the broker's duplicate
                    // detection must tell attempts apart
                    jms.setStringProperty(SoapMessage.Headers.JMS_DUPLICATE_ID, message.id() + (layout.topic() ? "#" + processor : "")
                            + "#" + attemptsSoFar
                            + (pendingDeadLetter == null ? "" : "#dead-letter-" + System.nanoTime()));
                }
                if (duplicateId != null) {
                    jms.setStringProperty(SoapMessage.Headers.JMS_DUPLICATE_ID, duplicateId);
                }
                if (pendingDeadLetter != null) {
                    jms.setStringProperty(SoapMessage.Headers.JMS_DEAD_LETTER_PENDING, pendingDeadLetter);
                }
                String groupId = group.apply(message);
                if (groupId != null) {
                    jms.setStringProperty("JMSXGroupID", groupId);
                }
                producer.send(original, jms);
            }
        } catch (JMSRuntimeException | JMSException e) {
            throw new BrokerUnavailableException("the broker did not take " + what, e);
        }
    }
}
