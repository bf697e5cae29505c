package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
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
 * The broker password {@code ./surepost} makes for an installation, and its rotation, on an
 * installation of its own (its own state directory and broker, on port 61716) with no
 * SUREPOST_BROKER_PASSWORD set: the password is random, kept readable by its owner only, and
 * WildFly works with it; after {@code ./surepost broker-password rotate} the old one is
 * refused by the broker and WildFly stores messages on the broker with the new one.
 */
class BrokerPasswordIT {

    /** A state directory of its own, new for each run: the first start makes the password. */
    private static final Path STATE = newState();
    private static final int BROKER_PORT = 61716;
    private static final URI STATUS = URI.create("http://localhost:8080/services/status");

    private static Map<String, String> installation() {
        Map<String, String> environment = new HashMap<>(Surepost.scriptServer(""));
        environment.put("SUREPOST_STATE", STATE.toString());
        environment.put("SUREPOST_BROKER_PORT", Integer.toString(BROKER_PORT));
        environment.put("SUREPOST_BROKER_PASSWORD", ""); // empty: as if unset, so the script makes one
        return environment;
    }

    private static Path newState() {
        try {
            return Files.createTempDirectory(Surepost.state().getParent(), "broker-password-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void startTheInstallation() {
        Surepost.control(installation(), "broker", "start");
        Surepost.control(installation(), "server", "start");
    }

    @AfterAll
    static void stopTheInstallation() {
        try {
            Surepost.control(installation(), "server", "stop");
        } finally {
            Surepost.control(installation(), "broker", "stop");
        }
    }

    @Test
    void eachInstallationHasItsOwnPasswordAndARotationReplacesItEverywhere() throws Exception {
        Path credentials = STATE.resolve("broker.credentials");
        String first = Files.readString(credentials);
        assertTrue(first.matches("[0-9a-f]{32}"), "a random password, not a documented one: " + first.length() + " characters");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
        assertStoredOnTheBroker();

        Surepost.control(installation(), "broker-password", "rotate");

        String second = Files.readString(credentials);
        assertNotEquals(first, second);
        assertThrows(ActiveMQSecurityException.class, () -> logIn(first), "the broker refuses the old password");
        logIn(second);
        assertStoredOnTheBroker();
    }

    /** A message accepted now goes to the broker (WildFly logs in), not to the failover table. */
    private static void assertStoredOnTheBroker() {
        Surepost.Login login = Surepost.Login.readFrom(STATE.resolve("wildfly/surepost-cli.credentials"));
        eventually().until(() -> "closed".equals(Surepost.status(STATUS, login).get("broker-breaker")));
        Surepost.accept();
        assertEquals("0", Surepost.status(STATUS, login).get("failover"), "nothing went to the failover table");
    }

    private static void logIn(String password) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + BROKER_PORT);
             ClientSessionFactory sessions = locator.createSessionFactory();
             ClientSession session = sessions.createSession(Broker.USER, password, false, true, true, false, 1)) {
            session.start();
        }
    }
}
