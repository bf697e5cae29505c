package io.surepost.store;

import io.surepost.mediation.BrokerRoutes;
import io.surepost.message.MessageId;
import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;

/**
 * What the node's own broker holds in its queues (Original, its subscriptions, Original.DLQ),
 * read without consuming: depths and ages through the broker's management address (a JMS
 * request and its reply, the way Artemis's own JMSManagementHelper asks), messages through a
 * queue browser; and the one change an operator may make there, removing a message by id.
 * Every call is bounded by {@link #REPLY_TIMEOUT_MILLIS}.
 */
@Stateless
public class BrokerQueues {

    /** The longest a management request waits for the broker's reply. */
    static final long REPLY_TIMEOUT_MILLIS = 5000;
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    /** One queue's figures; a figure the broker did not give is null. */
    public record Figures(Long depth, Long oldestAgeMillis, Long bytes) {
    }

    /** A message in a queue, as a browser sees it. */
    public record Browsed(String messageId, Instant receivedAt, String soapAction, int size, int attempts, String queue) {
    }

    @Inject
    private BrokerRoutes routes;

    /** The queue's depth, the age of its oldest message and its persistent size. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Figures figures(String queue) {
        JsonValue depth = ask(queue, null, "messageCount");
        JsonValue age = ask(queue, "getFirstMessageAge", null);
        JsonValue bytes = ask(queue, null, "persistentSize");
        return new Figures(number(depth), number(age), number(bytes));
    }

    /** Up to {@code size} messages after the first {@code skip}, oldest first, none consumed. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Browsed> browse(String queue, int skip, int size) {
        try (JMSContext context = routes.first().factory().createContext()) {
            // A fully qualified name reaches a subscription queue of the Original topic too
            Queue destination = context.createQueue(queue.equals(OriginalLayout.ADDRESS) ? queue : qualified(queue));
            List<Browsed> page = new ArrayList<>();
            QueueBrowser browser = context.createBrowser(destination);
            try {
                Enumeration<?> messages = browser.getEnumeration();
                int seen = 0;
                while (messages.hasMoreElements() && page.size() < size) {
                    Message jms = (Message) messages.nextElement();
                    if (seen++ >= skip) {
                        page.add(browsed(jms, queue));
                    }
                }
            } finally {
                browser.close();
            }
            return page;
        } catch (JMSRuntimeException | JMSException e) {
            throw new BrokerUnavailableException("the broker cannot be reached", e);
        }
    }

    /** Removes the messages with this Surepost id from the queue; returns how many went. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long remove(String queue, String messageId) {
        if (!MessageId.mayBe(messageId)) {
            return 0;
        }
        Long removed = number(ask(queue, "removeMessages", null, Headers.JMS_MESSAGE_ID + " = '" + messageId + "'"));
        return removed == null ? 0 : removed;
    }

    private static String qualified(String queue) {
        return OriginalLayout.ADDRESS + "::" + queue;
    }

    private static Browsed browsed(Message jms, String queue) throws JMSException {
        SoapMessage message = OriginalStoreMessages.asFoundOnTheQueue(jms);
        int attempts = jms.propertyExists(Headers.JMS_ATTEMPTS) ? jms.getIntProperty(Headers.JMS_ATTEMPTS) : 0;
        return new Browsed(message.id(), message.receivedAt(), message.soapAction(), message.envelope().length, attempts, queue);
    }

    /**
     * One management request to the node's own broker: an attribute of {@code queue} or an
     * operation on it, the reply's result (the first element of the JSON array it carries).
     */
    private JsonValue ask(String queue, String operation, String attribute, String... parameters) {
        try (JMSContext context = routes.first().factory().createContext()) {
            TemporaryQueue replies = context.createTemporaryQueue();
            try (JMSConsumer consumer = context.createConsumer(replies)) {
                context.start();
                TextMessage request = context.createTextMessage(Json.createArrayBuilder(List.of(parameters)).build().toString());
                request.setStringProperty("_AMQ_ResourceName", "queue." + queue);
                if (operation != null) {
                    request.setStringProperty("_AMQ_OperationName", operation);
                } else {
                    request.setStringProperty("_AMQ_Attribute", attribute);
                }
                String correlation = UUID.randomUUID().toString();
                request.setJMSCorrelationID(correlation);
                request.setJMSReplyTo(replies);
                context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                        .send(context.createQueue(MANAGEMENT_ADDRESS), request);
                long deadline = System.currentTimeMillis() + REPLY_TIMEOUT_MILLIS;
                for (long left = REPLY_TIMEOUT_MILLIS; left > 0; left = deadline - System.currentTimeMillis()) {
                    Message reply = consumer.receive(left);
                    if (reply == null) {
                        break;
                    }
                    if (!correlation.equals(reply.getJMSCorrelationID()) && reply.getJMSCorrelationID() != null) {
                        continue; // not the answer to this request
                    }
                    String body = reply instanceof TextMessage text ? text.getText() : null;
                    if (!reply.getBooleanProperty("_AMQ_OperationSucceeded")) {
                        throw new BrokerUnavailableException("the broker refused " + (operation != null ? operation : attribute)
                                + " on queue " + queue, null);
                    }
                    JsonArray result = Json.createReader(new StringReader(body == null ? "[null]" : body)).readArray();
                    return result.isEmpty() ? JsonValue.NULL : result.get(0);
                }
                throw new BrokerUnavailableException("the broker did not answer a management request on " + queue + " within "
                        + REPLY_TIMEOUT_MILLIS + " ms", null);
            }
        } catch (JMSRuntimeException | JMSException e) {
            throw new BrokerUnavailableException("the broker cannot be reached", e);
        }
    }

    private static Long number(JsonValue value) {
        if (value instanceof JsonNumber n) {
            return n.longValue();
        }
        if (value != null && value.getValueType() == JsonValue.ValueType.STRING) {
            try {
                return Long.parseLong(((jakarta.json.JsonString) value).getString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
