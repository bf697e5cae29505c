package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of WildFly in the middle of a drain of 2,000 failover rows. The server here is the
 * one the control script runs (its own base directory under the tests' state directory), so
 * the test can kill it and start it again; no Arquillian container is involved.
 * <p>
 * Small batches (10 rows per XA transaction) make sure the kill lands mid-drain. Forwarding
 * is paused through WildFly's MDB delivery control until the restart, so the only place a
 * duplicate could come from is the drain.
 */
class ServerCrashIT {

    private static final int MESSAGES = 2000;

    private static Map<String, String> server() {
        return Surepost.scriptServer("-Dsurepost.failover.client.retry.interval=1000 -Dsurepost.failover.batch.size=10"
                // let transaction recovery look for in-doubt transactions every 5 s instead of every 2 min
                + " -DRecoveryEnvironmentBean.periodicRecoveryPeriod=5 -DRecoveryEnvironmentBean.recoveryBackoffPeriod=1");
    }

    @BeforeAll
    static void startServer() {
        Surepost.control(server(), "server", "start");
    }

    @AfterAll
    static void stopServer() {
        Surepost.control("broker", "start");
        Surepost.control(server(), "server", "stop");
        String left = Surepost.control("processes");
        assertFalse(left.contains("wildfly"), () -> "WildFly's processes after a stop: " + left);
    }

    @Test
    void killingWildFlyDuringADrainOfTwoThousandRowsLosesNothingAndDuplicatesNothing() {
        eventually().until(() -> Surepost.failoverRows() == 0 && Broker.messageCount(Broker.ORIGINAL) == 0);
        Surepost.forwardingByScript("stop-delivery");
        Surepost.control("broker", "kill");
        List<String> accepted = Surepost.acceptConcurrently(MESSAGES, 16);
        assertEquals(MESSAGES, Surepost.failoverRows(), "all in the failover table");

        Surepost.control("broker", "start"); // empty journal: the broker's added-message counter starts from zero
        eventually().atMost(Duration.ofMinutes(2)).until(() -> movedSoFar() >= 200);
        Surepost.control("server", "kill");
        long movedBeforeKill = movedSoFar();
        Surepost.control(server(), "server", "start");
        Surepost.awaitSharedForwarding(false); // the pause outlives the restart: start delivery again
        Surepost.forwardingByScript("start-delivery");

        eventually().atMost(Duration.ofMinutes(3)).until(() -> Surepost.failoverRows() == 0);
        eventually().atMost(Duration.ofMinutes(3)).until(() -> Broker.messagesAdded(Broker.ORIGINAL) >= MESSAGES);
        assertEquals(MESSAGES, Broker.messagesAdded(Broker.ORIGINAL),
                "every row reached the queue exactly once (" + movedBeforeKill + " had been moved before the kill)");
        if ("postgresql".equals(Surepost.database())) {
            eventually().until(() -> PostgreSql.preparedTransactions() == 0);
        }

        eventually().atMost(Duration.ofMinutes(3)).until(() -> Surepost.deliveries(accepted).size() == MESSAGES);
        long duplicates = Surepost.deliveries(accepted).values().stream().mapToLong(count -> count - 1).sum();
        assertEquals(0, duplicates, "duplicates at the backend");
    }

    /**
     * The attempt count advances when an attempt's transaction commits. The kill lands while
     * the third attempt waits on the broker (15 s back-off), so exactly three attempts are
     * made in all. Should the kill land during an attempt instead (a slow machine), that
     * attempt is made again after the restart, uncounted: the backend then sees one call more,
     * and the test knows it from the calls made before the kill.
     */
    @Test
    void attemptsSurviveAWildFlyRestart() {
        try (ControllableBackend backend = new ControllableBackend()) {
            backend.answer(id -> ControllableBackend.Answer.status(500));
            cli("/system-property=surepost.forwarding.target.endpoint:add(value=" + ControllableBackend.ENDPOINT + ")",
                    "/system-property=surepost.forwarding.max.delivery.attempts:add(value=3)",
                    "/system-property=surepost.forwarding.max.delivery.drop:add(value=Enabled)",
                    "/system-property=surepost.forwarding.client.retry.interval:add(value=1000)",
                    // back-off: the second attempt follows after 1 s, the third after 15 s
                    "/system-property=surepost.forwarding.retry.backoff.multiplier:add(value=15)");
            try {
                String id = Surepost.accept();
                // two attempts failed, the third is scheduled on the broker: now restart WildFly
                eventually().until(() -> backend.calls(id).size() == 2 && Broker.scheduledCount(Broker.ORIGINAL) == 1);
                Surepost.control("server", "kill");
                int callsBeforeRestart = backend.calls(id).size();
                Surepost.control(server(), "server", "start");

                eventually().until(() -> Surepost.lines(Surepost.scriptServerLog()).stream()
                        .anyMatch(line -> line.contains(id) && line.contains("moved to the dead-letter store after 3 attempt(s)")));
                int uncounted = callsBeforeRestart - 2; // an attempt in flight at the kill is made again
                assertEquals(3 + uncounted, backend.calls(id).size(), "3 counted attempts in all, across the restart ("
                        + callsBeforeRestart + " calls had reached the backend when WildFly was killed)");
            } finally {
                cli("/system-property=surepost.forwarding.target.endpoint:remove",
                        "/system-property=surepost.forwarding.max.delivery.attempts:remove",
                        "/system-property=surepost.forwarding.max.delivery.drop:remove",
                        "/system-property=surepost.forwarding.client.retry.interval:remove",
                        "/system-property=surepost.forwarding.retry.backoff.multiplier:remove");
            }
        }
    }

    @Test
    void killingWildFlyLeavesNoProcessOfItBehind() {
        Surepost.control("server", "kill");
        String left = Surepost.control("processes");
        Surepost.control(server(), "server", "start");
        assertFalse(left.contains("wildfly"), () -> "WildFly's processes after a kill: " + left);
    }

    private static void cli(String... commands) {
        for (String command : commands) {
            Surepost.control("cli", command);
        }
    }

    private static long movedSoFar() {
        return Surepost.lines(Surepost.scriptServerLog()).stream()
                .filter(line -> line.contains("moved from the failover store")).count();
    }
}
