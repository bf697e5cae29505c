package io.surepost.it;

import java.util.Map;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * A server setup task that sets Surepost system properties through the management model (as
 * an operator would with jboss-cli) before a test class, and removes them afterwards. It runs
 * before the deployment, so settings read at deployment (an MDB's activation) take effect too.
 */
public abstract class SystemPropertySetup implements ServerSetupTask {

    private final Map<String, String> properties;

    protected SystemPropertySetup(String name, String value) {
        this(Map.of(name, value));
    }

    protected SystemPropertySetup(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    @Override
    public void setup(ManagementClient client, String container) {
        properties.forEach((name, value) -> Management.setProperty(client, name, value));
    }

    @Override
    public void tearDown(ManagementClient client, String container) {
        properties.keySet().forEach(name -> Management.removeProperty(client, name));
    }
}
