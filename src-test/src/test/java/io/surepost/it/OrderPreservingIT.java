package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opt-in order-preserving mode ({@code surepost.store.preserve.order=true}): while the
 * failover store holds rows, new messages queue up behind them, so the backend sees
 * messages in acceptance order across a broker outage. Runs on H2 and on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(OrderPreservingIT.PreserveOrder.class)
class OrderPreservingIT {

    /** Switches the order-preserving mode on for this class through the management model. */
    static class PreserveOrder extends SystemPropertySetup {
        PreserveOrder() {
            super("surepost.store.preserve.order", "true");
        }
    }

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "start");
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
