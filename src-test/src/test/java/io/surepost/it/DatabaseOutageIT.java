package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both stores down: the broker killed and the failover database refusing connections. The
 * client is told, with a 503 fault, that nothing was stored, and nothing was. Runs on
 * PostgreSQL, whose outage is real (an embedded H2 file database cannot go down on its own).
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseOutageIT {

    private static final List<String> FORWARDING = List.of("target.endpoint", "client.retry.interval", "max.delivery.attempts",
            "max.delivery.drop");
    private static final List<String> FAILOVER = List.of("stall.warning");

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void everythingRunsAgain() {
        PostgreSql.thaw();
        PostgreSql.allowConnections();
        Surepost.control("broker", "start");
        FORWARDING.forEach(name -> Management.removeProperty(management, "surepost.forwarding." + name));
        FAILOVER.forEach(name -> Management.removeProperty(management, "surepost.failover." + name));
    }

    /**
     * The dead-letter store is down when a message has used its last attempt: the message
     * stays on Original, only the dead-letter write is tried again (the backend is not called
     * again), the status says why; once the database is back the dead letter is written.
     */
    @Test
    void aDeadLetterTheDatabaseCannotTakeStaysOnTheQueueWithoutAnotherCallToTheBackend() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        long deadLettersBefore = PostgreSql.deadLetterRows();
        try (ControllableBackend backend = new ControllableBackend()) {
            backend.answer(id -> Answer.status(500));
            Management.setProperty(management, "surepost.forwarding.target.endpoint", ControllableBackend.ENDPOINT.toString());
            Management.setProperty(management, "surepost.forwarding.client.retry.interval", "300");
            Management.setProperty(management, "surepost.forwarding.max.delivery.attempts", "1");
            Management.setProperty(management, "surepost.forwarding.max.delivery.drop", "Enabled");
            PostgreSql.refuseConnections();

            String id = Surepost.accept();

            // The dead-letter write fails, again and again, every client.retry.interval
            eventually().until(() -> Surepost.serverLinesOf(id).stream()
                    .filter(line -> line.contains("the dead-letter store did not take message " + id)).count() >= 3);
            assertEquals(1, backend.calls(id).size(), "one attempt, no call for the dead-letter retries");
            assertEquals(1, Broker.messageCount(Broker.ORIGINAL), "the message stays on Original");
            assertTrue(Surepost.status().get("forwarding-processor").contains("the dead-letter store did not take message " + id),
                    Surepost.status()::toString);

            PostgreSql.allowConnections();

            eventually().until(() -> PostgreSql.deadLetterRows() == deadLettersBefore + 1);
            eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
            assertEquals(1, backend.calls(id).size(), "still one call in all");
        }
    }

    @Test
    void brokerAndDatabaseDownGetA503AndNothingIsStored() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Surepost.control("broker", "kill");
        PostgreSql.refuseConnections();

        HttpResponse<String> response = Surepost.postSeedEnvelope();

        assertEquals(503, response.statusCode(), response::body);
        assertTrue(response.body().contains("the message broker is unavailable"), response::body);
        assertTrue(response.body().contains("and so is the failover store"), response::body);
        assertTrue(response.body().contains("The server log has the details under message "), response::body);
        assertFalse(response.body().contains("AMQ") || response.body().contains("Exception") || response.body().contains("SQL"),
                () -> "no internal text reaches the client: " + response.body());
        assertTrue(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).isEmpty(), "no id: nothing accepted");
        PostgreSql.allowConnections();
        assertEquals(0, PostgreSql.failoverRows(), "nothing half-stored");
    }

    /** Bound: the broker fails at once (killed), the failover write has 5 s (store.failover.write.timeout). */
    @Test
    void aStalledDatabaseWithTheBrokerDownGetsA503WithinTheBound() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Surepost.control("broker", "kill");
        Surepost.accept(); // the broker breaker is open: from here on requests go straight to the failover store
        PostgreSql.freeze();

        long start = System.nanoTime();
        HttpResponse<String> response = Surepost.postSeedEnvelope();
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);

        assertEquals(503, response.statusCode(), response::body);
        assertTrue(response.body().contains("did not confirm the write within 5000 ms"), response::body);
        assertTrue(took.compareTo(java.time.Duration.ofSeconds(9)) < 0, () -> "answered after " + took.toMillis() + " ms");
        PostgreSql.thaw();
        eventually().until(() -> Surepost.postSeedEnvelope().statusCode() == 202);
    }

    @Test
    void whenTheDatabaseIsBackTheNextMessageIsAccepted() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Surepost.control("broker", "kill");
        PostgreSql.refuseConnections();
        assertEquals(503, Surepost.postSeedEnvelope().statusCode());

        PostgreSql.allowConnections();

        String id = eventually().until(() -> {
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            return response.statusCode() == 202 ? response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow() : null;
        }, java.util.Objects::nonNull);
        assertEquals(1, PostgreSql.failoverRows(), "it waits in the failover table");
        Surepost.control("broker", "start");
        eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
    }

    /**
     * A failover tick that does not end (here: its query to a frozen database) is reported at
     * WARN once it is past surepost.failover.stall.warning, with where its thread is, and the
     * row moves once the database answers again. The other periodic work that reads the
     * database (journey writer, gauges, member heartbeat, processor sync) is held by the
     * frozen database too; the tick must still run, and be reported.
     */
    @Test
    void aFailoverTickStalledByAFrozenDatabaseIsLoggedWithItsThreadsStack() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Management.setProperty(management, "surepost.failover.stall.warning", "2000");
        Surepost.control("broker", "kill");
        String id = eventually().until(() -> {
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            return response.statusCode() == 202 ? response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow() : null;
        }, java.util.Objects::nonNull);
        long stallsBefore = databaseStalls().size();

        PostgreSql.freeze();
        try {
            // A tick can also be reported while it waits for the killed broker: only one held by the database counts here
            List<String> stalls = eventually().until(DatabaseOutageIT::databaseStalls, found -> found.size() > stallsBefore);
            String stall = stalls.get(stalls.size() - 1);
            assertTrue(stall.contains("Thread "), stall);
            assertTrue(stall.contains("FailoverDrain.tick"), () -> "the warning shows the tick's stack: " + stall);
        } finally {
            PostgreSql.thaw();
        }
        Surepost.control("broker", "start");
        eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
        assertEquals(0, PostgreSql.failoverRows());
    }

    /** The stall warnings whose stack shows the tick in the PostgreSQL driver, each with the stack lines after it. */
    private static List<String> databaseStalls() {
        List<String> log = Surepost.lines(Surepost.serverLog());
        List<String> stalls = new java.util.ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains("FailoverProcessor: a tick has been under way")) {
                StringBuilder warning = new StringBuilder(log.get(i));
                for (int j = i + 1; j < log.size() && log.get(j).startsWith("\tat "); j++) {
                    warning.append('\n').append(log.get(j));
                }
                if (warning.indexOf("org.postgresql") >= 0) {
                    stalls.add(warning.toString());
                }
            }
        }
        return stalls;
    }
}
