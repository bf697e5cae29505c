package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import java.util.Map;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opt-in order-preserving mode ({@code surepost.store.preserve.order=true}): while the
 * failover store holds rows, new messages queue up behind them, so the backend sees
 * messages in acceptance order across a broker outage; and a failed delivery is tried again
 * in place, holding back the messages behind it, with several consumer sessions. Runs on H2
 * and on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(OrderPreservingIT.PreserveOrder.class)
class OrderPreservingIT {

    /**
     * Switches the order-preserving mode on for this class through the management model, with
     * four consumers (set before the deployment: member.count is read when the MDB is activated).
     */
    static class PreserveOrder extends SystemPropertySetup {
        PreserveOrder() {
            super(Map.of("surepost.store.preserve.order", "true", "surepost.forwarding.member.count", "4"));
        }
    }

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "start");
    }

    /**
     * Four consumer sessions, and a backend that refuses the first attempt of every fifth
     * message: each refused message is tried again in place, holding back the ones behind it,
     * so the backend still sees acceptance order (without the mode, the sessions and the
     * re-queued retries reorder them).
     */
    @Test
    void aRetriedMessageHoldsBackTheOnesBehindItWithFourConsumers() {
        try (ControllableBackend backend = new ControllableBackend()) {
            Management.setProperty(management, "surepost.forwarding.target.endpoint", ControllableBackend.ENDPOINT.toString());
            Management.setProperty(management, "surepost.forwarding.client.retry.interval", "100");
            Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
            backend.answer(id -> Math.floorMod(id.hashCode(), 5) == 0 && refused.add(id)
                    ? ControllableBackend.Answer.status(503) : ControllableBackend.Answer.OK);
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                accepted.add(Surepost.accept());
            }

            eventually().until(() -> backend.deliveredInOrder().size() >= accepted.size());
            assertEquals(accepted, backend.deliveredInOrder());
            assertTrue(refused.size() > 5, () -> "about one in five was refused once: " + refused.size());
        } finally {
            Management.removeProperty(management, "surepost.forwarding.target.endpoint");
            Management.removeProperty(management, "surepost.forwarding.client.retry.interval");
        }
    }

    @Test
    void backendSeesAcceptanceOrderAcrossAnOutageOfFiveHundredMessages() {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(Surepost.accept());
        }
        eventually().until(() -> Surepost.deliveries(accepted).size() == 10);
        // ...and acknowledged: a kill before the ack commits would mean a (legitimate) redelivery
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);

        Surepost.control("broker", "kill");
        for (int i = 0; i < 500; i++) {
            accepted.add(Surepost.accept());
        }
        Surepost.control("broker", "start");
        // Sent while the failover processor drains: they must wait behind the 500
        for (int i = 0; i < 20; i++) {
            accepted.add(Surepost.accept());
        }

        eventually().until(() -> Surepost.deliveries(accepted).size() == accepted.size());
        Set<String> ours = Set.copyOf(accepted);
        List<String> backendOrder = Surepost.deliveredIds().stream().filter(ours::contains).toList();
        assertEquals(accepted, backendOrder);
    }
}
