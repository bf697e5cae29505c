package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./surepost cluster broker-password rotate} on a cluster of its own (one broker pair,
 * one node and the front, in a state directory new for each run, with no
 * SUREPOST_BROKER_PASSWORD set): the cluster's password is random; after the rotation the
 * primary refuses the old one, the primary and its backup hold the same new hash, and the
 * node, restarted with the new password, stores a message sent through the front on the
 * broker and forwards it.
 */
class ClusterBrokerPasswordIT {

    private static final Path STATE = newState();
    private static final int PRIMARY_PORT = 63616;
    private static final int FRONT_PORT = 8580;
    private static final URI FRONT = URI.create("http://localhost:" + FRONT_PORT + "/services/Proxy1");
    private static final URI NODE_STATUS = URI.create("http://localhost:8180/services/status");
    private static final Map<String, String> CLUSTER = Map.of(
            "SUREPOST_CLUSTER_STATE", STATE.toString(),
            "SUREPOST_CLUSTER_PORT", Integer.toString(PRIMARY_PORT),
            "SUREPOST_CLUSTER_PG_PORT", "55436",
            "SUREPOST_CLUSTER_BACKEND_PORT", "9500",
            "SUREPOST_CLUSTER_FRONT_PORT", Integer.toString(FRONT_PORT),
            "SUREPOST_BROKER_PASSWORD", ""); // empty: as if unset, so the script makes the cluster's own

    private static Path newState() {
        try {
            // Others may enter it: the cluster's PostgreSQL runs as the postgres user
            return Files.createTempDirectory(Surepost.state().getParent(), "cluster-password-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void startTheCluster() {
        Surepost.control(CLUSTER, "cluster", "start", "--brokers", "1", "--nodes", "1");
    }

    @AfterAll
    static void stopTheCluster() {
        Surepost.control(CLUSTER, "cluster", "stop");
    }

    @Test
    void aRotationGivesEveryBrokerOfTheClusterAndItsNodeTheNewPassword() throws Exception {
        Path credentials = STATE.resolve("broker.credentials");
        String first = Files.readString(credentials);
        assertTrue(first.matches("[0-9a-f]{32}"), "a random password, not a documented one: " + first.length() + " characters");
        String hashBefore = userLine("primary");
        assertStoredOnTheBrokerAndDelivered();

        Surepost.control(CLUSTER, "cluster", "broker-password", "rotate");

        String second = Files.readString(credentials);
        assertNotEquals(first, second);
        assertNotEquals(hashBefore, userLine("primary"), "the primary's users file has the new hash");
        assertEquals(userLine("primary"), userLine("backup"), "the backup, which serves after a takeover, has it too");
        assertThrows(ActiveMQSecurityException.class, () -> logIn(first), "the broker refuses the old password");
        logIn(second);
        assertStoredOnTheBrokerAndDelivered();
    }

    /** The broker user's line in a member's etc/artemis-users.properties. */
    private static String userLine(String role) throws IOException {
        return Files.readAllLines(STATE.resolve("broker-" + role + "-1/etc/artemis-users.properties")).stream()
                .filter(line -> line.startsWith(Broker.USER + " ")).findFirst().orElseThrow();
    }

    /** The node logs in to the broker: a message sent through the front is stored there, not in the failover table, and delivered. */
    private static void assertStoredOnTheBrokerAndDelivered() {
        Surepost.Login login = Surepost.Login.readFrom(STATE.resolve("node-1/surepost-cli.credentials"));
        eventually().atMost(Duration.ofMinutes(1)).until(() -> "closed".equals(Surepost.status(NODE_STATUS, login).get("broker-breaker")));
        HttpResponse<String> answer = Surepost.post(FRONT, Surepost.SEED_ENVELOPE, "text/xml; charset=UTF-8");
        assertEquals(202, answer.statusCode(), answer::body);
        String id = answer.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow();
        assertEquals("0", Surepost.status(NODE_STATUS, login).get("failover"), "nothing went to the failover table");
        eventually().until(() -> Surepost.deliveredIds(STATE.resolve("backend/backend.log")), ids -> ids.contains(id));
        assertEquals(List.of(id), Surepost.deliveredIds(STATE.resolve("backend/backend.log")).stream().filter(id::equals).toList(),
                "delivered once");
    }

    private static void logIn(String password) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + PRIMARY_PORT);
             ClientSessionFactory sessions = locator.createSessionFactory();
             ClientSession session = sessions.createSession(Broker.USER, password, false, true, true, false, 1)) {
            session.start();
        }
    }
}
