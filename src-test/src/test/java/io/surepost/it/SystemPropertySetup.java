package io.surepost.it;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

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
    public void setup(ManagementClient client, String container) {
        Management.setProperty(client, name, value);
    }

    @Override
    public void tearDown(ManagementClient client, String container) {
        Management.removeProperty(client, name);
    }
}
