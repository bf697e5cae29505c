package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker cluster of {@code ./surepost cluster --nodes 0}, black-box: three pairs of a primary and
 * its shared-store backup, the primaries in one symmetric Artemis cluster. It runs on its own
 * ports (62616..62618, backups 62716..62718) and state directory, beside the tests' broker.
 */
class BrokerClusterIT {

    private static final int PORT = 62616;
    private static final Map<String, String> CLUSTER = Map.of(
            "SUREPOST_CLUSTER_STATE", Surepost.state().resolveSibling("cluster").toString(),
            "SUREPOST_CLUSTER_PORT", Integer.toString(PORT));

    @BeforeAll
    static void startTheCluster() {
        Surepost.control(CLUSTER, "cluster", "start", "--brokers", "3", "--nodes", "0");
    }

    @AfterAll
    static void stopTheCluster() {
        Surepost.control(CLUSTER, "cluster", "stop");
    }

    private static String primary(int pair) {
        return "tcp://127.0.0.1:" + (PORT + pair - 1);
    }

    private static String backup(int pair) {
        return "tcp://127.0.0.1:" + (PORT + 100 + pair - 1);
    }

    @Test
    void aKilledPrimarysMessagesAreServedByItsBackupAndComeBackWithIt() throws Exception {
        Set<String> sent = send(primary(1), "pair-1-", 300);

        Surepost.control(CLUSTER, "cluster", "broker", "1", "kill");

        // The backup takes the pair's lock and serves the messages the primary had stored
        eventually().atMost(Duration.ofSeconds(60)).until(() -> reachable(backup(1)));
        assertEquals(sent, receive(backup(1), 300), "every message of the killed primary, from its backup");

        // The primary returns: the backup hands the pair back and waits again
        Surepost.control(CLUSTER, "cluster", "broker", "1", "start");
        eventually().atMost(Duration.ofSeconds(60)).until(() -> reachable(primary(1)) && !reachable(backup(1)));
        assertTrue(Surepost.control(CLUSTER, "cluster", "status").contains("broker-backup-1: up (backup, waiting to take over)"));
    }

    @Test
    void messagesMoveToTheBrokerWhoseOriginalHasAConsumer() throws Exception {
        Set<String> sent = send(primary(2), "pair-2-", 100);

        // Nobody consumes on broker 2; a consumer on broker 3 gets them by redistribution
        assertEquals(sent, receive(primary(3), 100));
    }

    @Test
    void statusHasALinePerBroker() {
        String status = Surepost.control(CLUSTER, "cluster", "status");

        for (int pair = 1; pair <= 3; pair++) {
            assertTrue(status.contains("broker-primary-" + pair + ": up (primary, serving), original "), status);
            assertTrue(status.contains("broker-backup-" + pair + ": up (backup, waiting to take over)"), status);
        }
    }

    // ---------------------------------------------------------------- a plain core client

    private static boolean reachable(String url) {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url + "?initialConnectAttempts=1&reconnectAttempts=0");
             ClientSessionFactory factory = locator.createSessionFactory()) {
            return factory != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static Set<String> send(String url, String prefix, int count) throws Exception {
        Set<String> ids = new HashSet<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(Broker.USER, Broker.PASSWORD, false, true, true, false, 0);
             ClientProducer producer = session.createProducer(Broker.ORIGINAL)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
                message.putStringProperty("SurepostMessageId", id);
                message.getBodyBuffer().writeBytes(Surepost.SEED_ENVELOPE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(message);
                ids.add(id);
            }
        }
        return ids;
    }

    /** Receives {@code count} messages from Original on that broker, each acknowledged, within a minute. */
    private static Set<String> receive(String url, int count) throws Exception {
        Set<String> ids = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(Broker.USER, Broker.PASSWORD, false, true, true, false, 0);
             ClientConsumer consumer = session.createConsumer(Broker.ORIGINAL)) {
            session.start();
            while (ids.size() < count && System.nanoTime() < deadline) {
                ClientMessage message = consumer.receive(1000);
                if (message != null) {
                    message.acknowledge();
                    ids.add(message.getStringProperty("SurepostMessageId"));
                }
            }
        }
        return ids;
    }
}
