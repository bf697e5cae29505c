package io.surepost.it;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * A server setup task that sets one Surepost system property through the management model
 * (as an operator would with jboss-cli) before a test class, and removes it afterwards.
 * Surepost reads its settings when it uses them, so no redeploy is needed.
 */
public abstract class SystemPropertySetup implements ServerSetupTask {

    private final String name;
    private final String value;

    protected SystemPropertySetup(String name, String value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public void setup(ManagementClient client, String container) throws Exception {
        ModelNode add = Operations.createAddOperation(Operations.createAddress("system-property", name));
        add.get("value").set(value);
        execute(client, add);
    }

    @Override
    public void tearDown(ManagementClient client, String container) throws Exception {
        execute(client, Operations.createRemoveOperation(Operations.createAddress("system-property", name)));
    }

    private static void execute(ManagementClient client, ModelNode operation) throws Exception {
        ModelNode result = client.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException(operation + " failed: " + Operations.getFailureDescription(result).asString());
        }
    }
}
