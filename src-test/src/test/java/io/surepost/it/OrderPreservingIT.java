package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
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

    private static final String PROPERTY = "surepost.store.preserve.order";

    /** Switches the mode on through the management model, and off again afterwards. */
    static class PreserveOrder implements ServerSetupTask {
        @Override
        public void setup(ManagementClient client, String container) throws Exception {
            ModelNode add = Operations.createAddOperation(Operations.createAddress("system-property", PROPERTY));
            add.get("value").set("true");
            execute(client, add);
        }

        @Override
        public void tearDown(ManagementClient client, String container) throws Exception {
            execute(client, Operations.createRemoveOperation(Operations.createAddress("system-property", PROPERTY)));
        }

        private static void execute(ManagementClient client, ModelNode operation) throws Exception {
            ModelNode result = client.getControllerClient().execute(operation);
            if (!Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException(Operations.getFailureDescription(result).asString());
            }
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
