package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A typo in a store, failover or proxy setting, made on the running server as an operator
 * would: the value is never applied (messages are still accepted and delivered under the last
 * valid settings), the status page names the refused property, and correcting it clears that.
 */
@ExtendWith(ArquillianExtension.class)
class BadSettingsIT {

    private static final Map<String, String> BAD = Map.of(
            "surepost.store.broker.send.timeout", "3s",
            "surepost.failover.message.target.store.name", "Orignal",
            "surepost.proxy.max.envelope.bytes", "1MB");

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void correctTheSettings() {
        BAD.keySet().forEach(name -> Management.removeProperty(management, name));
    }

    @Test
    void badStoreFailoverAndProxySettingsAreReportedAndNeverApplied() {
        BAD.forEach((name, value) -> Management.setProperty(management, name, value));

        String id = Surepost.accept();

        eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
        Map<String, String> status = Surepost.status();
        assertTrue(status.get("store-settings").contains("surepost.store.broker.send.timeout must be a positive integer, but is '3s'"),
                status::toString);
        assertTrue(status.get("proxy-settings").contains("surepost.proxy.max.envelope.bytes"), status::toString);
        eventually().until(() -> Surepost.status().get("failover-settings").contains("surepost.failover.message.target.store.name must be Original"));

        correctTheSettings();

        Surepost.accept();
        status = Surepost.status();
        assertEquals("valid", status.get("store-settings"));
        assertEquals("valid", status.get("proxy-settings"));
        eventually().until(() -> "valid".equals(Surepost.status().get("failover-settings")));
    }
}
