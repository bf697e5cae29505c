package io.surepost.mediation;

import io.surepost.config.Settings;
import io.surepost.message.SoapMessage;
import io.surepost.store.OriginalLayout;
import io.surepost.store.OriginalStoreMessages;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The accept path's sends to the broker, with group commit ({@link GroupCommit}): per broker
 * route, {@value #LANES_PROPERTY} lanes, each a managed thread holding one connection, one
 * transacted session and one producer for as long as its session serves. Concurrent requests
 * share a transaction and a journal sync; each returns only after the commit that holds its
 * message. The connections come from the route's producer factory, which allows local
 * transactions outside JTA ({@code allow-local-transactions}, configure-messaging.cli), and
 * are kept: no pool round trip, producer creation or close per message.
 * <p>
 * Sizing, read at deployment: {@value #LANES_PROPERTY} (default {@value #DEFAULT_LANES}) and
 * {@value #BATCH_PROPERTY} (default {@value #DEFAULT_BATCH}); a batch also takes no further
 * message once it holds {@value #BATCH_BYTES} bytes of envelopes. One per server.
 */
@ApplicationScoped
public class BrokerSenders {

    static final String LANES_PROPERTY = "surepost.store.broker.senders";
    static final String BATCH_PROPERTY = "surepost.store.broker.batch";
    static final int DEFAULT_LANES = 2;
    static final int DEFAULT_BATCH = 64;
    static final long BATCH_BYTES = 1024 * 1024;
    /** More than the HTTP worker threads that could wait at once; a broker that holds them all makes the rest fail fast. */
    static final int MAX_WAITING = 512;

    private static final Logger LOG = Logger.getLogger("io.surepost.mediation");

    /** A message on its way, with its JMS group (the order-preserving mode) or null. */
    record Outgoing(SoapMessage message, String group) {
    }

    @Inject
    private BrokerRoutes routes;

    @Resource
    private ManagedThreadFactory threads;

    private final Map<Integer, GroupCommit<Outgoing>> byRoute = new HashMap<>();
    private OriginalLayout layout;

    @PostConstruct
    void start() {
        layout = OriginalLayout.current();
        int lanes = Settings.integer(LANES_PROPERTY, System.getProperty(LANES_PROPERTY), DEFAULT_LANES, 1, 32);
        int batch = Settings.integer(BATCH_PROPERTY, System.getProperty(BATCH_PROPERTY), DEFAULT_BATCH, 1, 10_000);
        for (BrokerRoute route : routes.defined()) {
            GroupCommit<Outgoing> commits = new GroupCommit<>(route.label(), () -> new LaneSession(route), threads, lanes, batch,
                    BATCH_BYTES, outgoing -> outgoing.message().envelope().length, MAX_WAITING);
            commits.start();
            byRoute.put(route.number(), commits);
        }
        LOG.infof("Sends to the broker: %d sender lane(s) per broker, up to %d message(s) per commit", lanes, batch);
    }

    @PreDestroy
    void stop() {
        byRoute.values().forEach(commits -> commits.stop(2000));
    }

    /**
     * Sends the message persistently to the route's broker; returns once the commit that holds
     * it is confirmed, else throws as {@link GroupCommit#send} does.
     */
    public void send(SoapMessage message, BrokerRoute route, String group, long deadlineMillis) throws DeadlineExecutor.Missed {
        byRoute.get(route.number()).send(new Outgoing(message, group), deadlineMillis);
    }

    /** Messages waiting for one of the route's lanes now. */
    public int waiting(BrokerRoute route) {
        return byRoute.get(route.number()).waiting();
    }

    /**
     * One lane's session: a connection with one transacted session and its producer, kept while
     * it serves. The classic API, because the resource adapter refuses a transacted
     * {@link jakarta.jms.JMSContext} outside JTA whatever the factory allows.
     */
    private final class LaneSession implements GroupCommit.Session<Outgoing> {
        private final Connection connection;
        private final Session session;
        private final MessageProducer producer;

        LaneSession(BrokerRoute route) throws JMSException {
            connection = route.factory().createConnection();
            try {
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(layout.forNewMessages(session));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            } catch (JMSException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void send(Outgoing outgoing) throws JMSException {
            BytesMessage jms = OriginalStoreMessages.toJms(session, outgoing.message());
            if (outgoing.group() != null) {
                jms.setStringProperty("JMSXGroupID", outgoing.group());
            }
            producer.send(jms);
        }

        @Override
        public void commit() throws JMSException {
            session.commit();
        }

        @Override
        public void close() {
            try {
                connection.close(); // closes the session; an uncommitted transaction is rolled back
            } catch (JMSException | RuntimeException e) {
                LOG.debugf("A sender lane's connection did not close cleanly: %s", e);
            }
        }
    }
}
