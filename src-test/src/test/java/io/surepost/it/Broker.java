package io.surepost.it;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * Asks the real broker about its queues through its management address, the way an
 * operator's tools do. Each call opens and closes its own connection, so it works across
 * broker restarts.
 */
public final class Broker {

    public static final String URL = "tcp://127.0.0.1:61616";
    /** The broker's login: the tests' password comes from the build (src-test's pom), as the broker's and WildFly's do. */
    public static final String USER = "surepost";
    public static final String PASSWORD = password();
    public static final String ORIGINAL = "Original";

    private Broker() {
    }

    /** Messages in the queue now, including those being delivered or waiting for redelivery. */
    public static long messageCount(String queue) {
        return ((Number) attribute(queue, "messageCount")).longValue();
    }

    /** Messages ever added to the queue since the broker started. */
    public static long messagesAdded(String queue) {
        return ((Number) attribute(queue, "messagesAdded")).longValue();
    }

    /** Messages waiting for their scheduled delivery time (retries the processor scheduled). */
    public static long scheduledCount(String queue) {
        return ((Number) attribute(queue, "scheduledCount")).longValue();
    }

    /**
     * Puts the seed's envelope on Original as Surepost stores it, under this message id and
     * with it as duplicate-detection id: what the broker holds when it stored a send whose
     * reply never reached Surepost.
     */
    public static void putOnOriginal(String messageId) {
        withSession("put message " + messageId + " on " + ORIGINAL, session -> {
            try (org.apache.activemq.artemis.api.core.client.ClientProducer producer = session.createProducer(ORIGINAL)) {
                ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
                message.getBodyBuffer().writeBytes(Surepost.SEED_ENVELOPE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                message.putStringProperty("SurepostMessageId", messageId);
                message.putStringProperty("_AMQ_DUPL_ID", messageId);
                message.putStringProperty("SurepostSoapAction", "\"urn:getQuote\"");
                message.putStringProperty("SurepostContentType", "text/xml; charset=UTF-8");
                message.putLongProperty("SurepostReceivedAt", System.currentTimeMillis());
                producer.send(message);
                return null;
            }
        });
    }

    /**
     * Replaces the address settings for {@code match} at runtime (the broker's management
     * operation addAddressSettings), e.g. {@code {"addressFullMessagePolicy":"BLOCK","maxSizeBytes":20480}}.
     */
    public static void addressSettings(String match, String json) {
        management("change the address settings of " + match,
                request -> ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "addAddressSettings", match, json));
    }

    /** The address settings in force for this address, as the broker's JSON. */
    public static String addressSettingsOf(String address) {
        return String.valueOf(management("read the address settings of " + address,
                request -> ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "getAddressSettingsAsJSON", address)));
    }

    /** Original's settings as broker.xml gives them. */
    public static final String ORIGINAL_SETTINGS = "{\"redeliveryDelay\":1000,\"maxDeliveryAttempts\":-1,\"deadLetterAddress\":\"Original.DLQ\","
            + "\"addressFullMessagePolicy\":\"PAGE\",\"maxSizeBytes\":67108864,\"pageSizeBytes\":10485760,"
            + "\"autoCreateQueues\":false,\"autoCreateAddresses\":false}";

    private static Object attribute(String queue, String attribute) {
        return management("read " + attribute + " of queue " + queue,
                request -> ManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, attribute));
    }

    private interface Request {
        void fill(ClientMessage request) throws Exception;
    }

    /** One request to the broker's management address, on a connection of its own; returns the result. */
    private static Object management(String what, Request fill) {
        return withSession(what, session -> {
            session.start();
            try (ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
                ClientMessage request = session.createMessage(false);
                fill.fill(request);
                ClientMessage reply = requestor.request(request, 10_000);
                if (reply == null) {
                    throw new IllegalStateException("the broker did not answer a management request");
                }
                if (!ManagementHelper.hasOperationSucceeded(reply)) {
                    throw new IllegalStateException("management request failed: " + ManagementHelper.getResult(reply));
                }
                return ManagementHelper.getResult(reply);
            }
        });
    }

    private interface SessionWork {
        Object run(ClientSession session) throws Exception;
    }

    /** Runs the work on a session of its own (so it works across broker restarts) as the Surepost user. */
    private static Object withSession(String what, SessionWork work) {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(USER, PASSWORD, false, true, true, false, 1)) {
            return work.run(session);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + " at " + URL, e);
        }
    }

    private static String password() {
        String password = System.getenv("SUREPOST_BROKER_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException("SUREPOST_BROKER_PASSWORD is not set: run the tests through Maven (src-test/pom.xml sets it)");
        }
        return password;
    }
}
