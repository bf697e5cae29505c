package io.surepost.it;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/** Management operations the tests perform the way an operator would with jboss-cli. */
public final class Management {

    private static final ModelNode FORWARDING_PROCESSOR = processor("ForwardingProcessor");
    private static final ModelNode SECOND_FORWARDING_PROCESSOR = processor("SecondForwardingProcessor");

    private static ModelNode processor(String name) {
        return Operations.createAddress("deployment", "surepost.ear",
                "subdeployment", "surepost-ejb.jar", "subsystem", "ejb3", "message-driven-bean", name);
    }

    private Management() {
    }

    /**
     * Sets (adds or overwrites) a system property on the running server. Not one the server's
     * JVM was started with (arquillian.xml's -D): removing the resource afterwards clears the
     * property, and every later test on that server would run with the product's default.
     */
    public static void setProperty(ManagementClient client, String name, String value) {
        ModelNode arguments = execute(client, Operations.createReadAttributeOperation(
                Operations.createAddress("core-service", "platform-mbean", "type", "runtime"), "input-arguments"), true);
        if (Operations.readResult(arguments).asList().stream().anyMatch(argument -> argument.asString().startsWith("-D" + name + "="))) {
            throw new IllegalArgumentException("the server was started with -D" + name + "; a test that set it and removed it"
                    + " afterwards would clear it for every later test: leave it to arquillian.xml");
        }
        ModelNode address = Operations.createAddress("system-property", name);
        ModelNode read = execute(client, Operations.createReadResourceOperation(address), false);
        if (Operations.isSuccessfulOutcome(read)) {
            execute(client, Operations.createWriteAttributeOperation(address, "value", value), true);
        } else {
            ModelNode add = Operations.createAddOperation(address);
            add.get("value").set(value);
            execute(client, add, true);
        }
    }

    /** The application realm reads application-users.properties and application-roles.properties again. */
    public static void reloadApplicationRealm(ManagementClient client) {
        execute(client, Operations.createOperation("load", Operations.createAddress("subsystem", "elytron",
                "properties-realm", "ApplicationRealm")), true);
    }

    /** Removes a system property if it is set. */
    public static void removeProperty(ManagementClient client, String name) {
        execute(client, Operations.createRemoveOperation(Operations.createAddress("system-property", name)), false);
    }

    /**
     * start-delivery or stop-delivery of the ForwardingProcessor MDB; it returns once the state
     * every node follows (and a restart keeps) says so too.
     */
    public static void forwarding(ManagementClient client, String operation) {
        execute(client, Operations.createOperation(operation, FORWARDING_PROCESSOR), true);
        Surepost.awaitSharedForwarding("start-delivery".equals(operation));
    }

    /**
     * Leaves the ForwardingProcessor running here and in the shared state: once this node and
     * the shared state agree (a deactivation may be on its way), starts delivery if it is off.
     */
    public static void ensureForwardingActive(ManagementClient client) {
        Surepost.eventually().until(() -> forwardingDeliveryActive(client)
                == Surepost.status().getOrDefault("forwarding-shared", "").startsWith("active"));
        if (!forwardingDeliveryActive(client)) {
            forwarding(client, "start-delivery");
        }
    }

    /**
     * start-delivery or stop-delivery of the SecondForwardingProcessor MDB (topic layout); it
     * returns once the state every node follows says so too.
     */
    public static void secondForwarding(ManagementClient client, String operation) {
        execute(client, Operations.createOperation(operation, SECOND_FORWARDING_PROCESSOR), true);
        Surepost.awaitShared("second-forwarding-shared", "start-delivery".equals(operation));
    }

    /** Whether WildFly delivers to the ForwardingProcessor MDB. */
    public static boolean forwardingDeliveryActive(ManagementClient client) {
        ModelNode result = execute(client, Operations.createReadAttributeOperation(FORWARDING_PROCESSOR, "delivery-active"), true);
        return Operations.readResult(result).asBoolean();
    }

    /** Sets the seed's is.active: the ForwardingProcessor's MDB delivery group. */
    public static void forwardingGroupActive(ManagementClient client, boolean active) {
        execute(client, Operations.createWriteAttributeOperation(
                Operations.createAddress("subsystem", "ejb3", "mdb-delivery-group", "surepost-forwarding"), "active", active), true);
    }

    private static ModelNode execute(ManagementClient client, ModelNode operation, boolean mustSucceed) {
        try {
            ModelNode result = client.getControllerClient().execute(operation);
            if (mustSucceed && !Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException(operation + " failed: " + Operations.getFailureDescription(result).asString());
            }
            return result;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("management operation failed: " + operation, e);
        }
    }
}
