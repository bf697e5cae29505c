package io.surepost.store;

import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/**
 * How the Original store is laid out on the broker, chosen by
 * {@code surepost.original.destination-type} (read once, at deployment: the forwarding MDBs'
 * activation takes the same value):
 * <ul>
 * <li>{@code jakarta.jms.Queue} (the default): one queue, Original, that every forwarding
 *     consumer on every node shares; each message is delivered once, by the
 *     ForwardingProcessor;</li>
 * <li>{@code jakarta.jms.Topic}: the ESB cluster's layout. Original is a topic and each
 *     forwarding processor holds its own durable shared subscription on it (the queue named
 *     after the processor, declared in broker.xml), so every processor delivers every message
 *     to its own endpoint, and every node consumes every subscription.</li>
 * </ul>
 * A retry goes back to the one processor's subscription only (a fully qualified queue name,
 * {@code Original::ForwardingProcessor}), never to the others, which have the message already.
 * Plain class.
 */
public record OriginalLayout(boolean topic) {

    /** The system property that chooses the layout. */
    public static final String PROPERTY = "surepost.original.destination-type";

    /** The address both layouts use. */
    public static final String ADDRESS = "Original";

    /** The layout {@link #PROPERTY} names; throws with a message naming the allowed values. */
    public static OriginalLayout of(String destinationType) {
        if (destinationType == null || destinationType.isBlank() || destinationType.trim().equals("jakarta.jms.Queue")) {
            return new OriginalLayout(false);
        }
        if (destinationType.trim().equals("jakarta.jms.Topic")) {
            return new OriginalLayout(true);
        }
        throw new IllegalStateException("System property " + PROPERTY + " must be jakarta.jms.Queue or jakarta.jms.Topic, but is '"
                + destinationType + "'");
    }

    /** The layout this server's system properties choose. */
    public static OriginalLayout current() {
        return of(System.getProperty(PROPERTY));
    }

    /** Where a new message goes: the queue, or the topic (every subscription). */
    public Destination forNewMessages(JMSContext context) {
        return topic ? context.createTopic(ADDRESS) : context.createQueue(ADDRESS);
    }

    /** The same, on a session of the classic API. */
    public Destination forNewMessages(Session session) throws JMSException {
        return topic ? session.createTopic(ADDRESS) : session.createQueue(ADDRESS);
    }

    /** Where the next attempt of a message goes: the queue, or the processor's own subscription. */
    public Destination forRetry(JMSContext context, String processor) {
        // A topic name: the subscription is a multicast queue, and a message must come multicast to reach it
        return topic ? context.createTopic(ADDRESS + "::" + processor) : context.createQueue(ADDRESS);
    }

    /** {@code queue} or {@code topic}, as the status page says. */
    public String describe() {
        return topic ? "topic (a durable shared subscription per forwarding processor)" : "queue";
    }
}
