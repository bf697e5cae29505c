package io.surepost.benchmark;

import io.surepost.message.SoapMessage;
import io.surepost.store.OriginalStoreMessages;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The broker side of the benchmark, over a plain Artemis JMS client: the raw persistent
 * producer (the ingest ceiling), the filler that builds a queue backlog, and queue depth
 * from the broker's management address.
 */
final class Jms {

    static final String URL = "tcp://127.0.0.1:61616";
    static final String USER = "surepost";
    /** The broker's password for this run: the installation is made new for each run, with this one (Installation). */
    static final String PASSWORD = "bench-" + java.util.UUID.randomUUID();
    /** Where the ceiling's messages go: a queue of their own, auto-created, destroyed afterwards. */
    static final String CEILING_QUEUE = "Benchmark.Ceiling";

    private Jms() {
    }

    static ActiveMQConnectionFactory factory() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL, USER, PASSWORD);
        factory.setBlockOnDurableSend(true); // the default, stated: a persistent send returns once the broker has it on disk
        return factory;
    }

    /**
     * A client that sends persistent 1 KB messages built exactly as Surepost builds them (same
     * properties, duplicate-detection id). {@code batch} 0: one message per call outside any
     * transaction (the raw ceiling); {@code batch} n: n messages per call in one local
     * transaction (the fast way to build a backlog of valid messages).
     */
    static Load.Clients producer(ActiveMQConnectionFactory factory, String queueName, byte[] envelope, int batch) {
        return index -> {
            JMSContext context = factory.createContext(batch == 0 ? JMSContext.AUTO_ACKNOWLEDGE : JMSContext.SESSION_TRANSACTED);
            Queue queue = context.createQueue(queueName);
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
            return new Load.Client() {
                @Override
                public void call() {
                    for (int i = 0; i < Math.max(1, batch); i++) {
                        SoapMessage message = SoapMessage.accept(envelope, Envelope.CONTENT_TYPE, Envelope.SOAP_ACTION);
                        producer.send(queue, OriginalStoreMessages.toJms(context, message));
                    }
                    if (batch > 0) {
                        context.commit();
                    }
                }

                @Override
                public void close() {
                    context.close();
                }
            };
        };
    }

    /** Messages in the queue now. */
    static long messageCount(String queue) {
        return ((Number) manage(ResourceNames.QUEUE + queue, null, "messageCount")).longValue();
    }

    /** Removes the ceiling's queue and its messages. */
    static void destroyQueue(String queue) {
        manage(ResourceNames.BROKER, "destroyQueue", queue, true);
    }

    private static Object manage(String resource, String operation, Object... arguments) {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
             ClientSessionFactory sessions = locator.createSessionFactory();
             ClientSession session = sessions.createSession(USER, PASSWORD, false, true, true, false, 1)) {
            session.start();
            try (ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
                ClientMessage request = session.createMessage(false);
                if (operation == null) {
                    ManagementHelper.putAttribute(request, resource, (String) arguments[0]);
                } else {
                    ManagementHelper.putOperationInvocation(request, resource, operation, arguments);
                }
                ClientMessage reply = requestor.request(request, 60_000);
                if (reply == null) {
                    throw new IllegalStateException("the broker did not answer a management request");
                }
                if (!ManagementHelper.hasOperationSucceeded(reply)) {
                    throw new IllegalStateException("management request failed: " + ManagementHelper.getResult(reply));
                }
                return ManagementHelper.getResult(reply);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the broker's management address at " + URL, e);
        }
    }
}
