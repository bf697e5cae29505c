package io.surepost.forwarding;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.logging.Logger;

/**
 * Switches a forwarding processor MDB's delivery through WildFly's own MDB delivery control
 * (the management model, reached in-VM through JMX), so the admin console and jboss-cli
 * show the state and can start delivery again:
 * {@code /deployment=surepost.ear/subdeployment=surepost-ejb.jar/subsystem=ejb3/message-driven-bean=ForwardingProcessor:start-delivery}.
 * Only the ForwardingProcessor is in the delivery group (the seed's {@code is.active}); the
 * SecondForwardingProcessor is deployed with its delivery off and started by
 * {@link ProcessorSyncTask} in the topic layout only.
 */
public final class ProcessorControl {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");
    private static final String PATTERN = "jboss.as:deployment=*,subdeployment=*,subsystem=ejb3,message-driven-bean=";

    /** The seed's is.active: the ForwardingProcessor's delivery group. */
    private static final String GROUP = "jboss.as:subsystem=ejb3,mdb-delivery-group=surepost-forwarding";

    private ProcessorControl() {
    }

    /** stop-delivery of the processor's MDB; call it off the MDB's own thread. */
    public static void stopDelivery(String processor) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.invoke(mdb(server, processor), "stopDelivery", new Object[0], new String[0]);
    }

    /** start-delivery of the processor's MDB. */
    public static void startDelivery(String processor) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.invoke(mdb(server, processor), "startDelivery", new Object[0], new String[0]);
    }

    /** Whether the processor MDB's own delivery is on (start-delivery/stop-delivery), whatever its group. */
    public static boolean mdbDeliveryActive(String processor) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return Boolean.TRUE.equals(server.getAttribute(mdb(server, processor), "deliveryActive"));
    }

    /**
     * Whether the server is up and not suspended: WildFly's server-state is {@code running}, or
     * {@code reload-required}/{@code restart-required} (a configuration change waits, the
     * server serves on), and its suspend-state {@code RUNNING}; false while it starts or stops,
     * and when either cannot be read.
     */
    public static boolean serverRunning() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName root = new ObjectName("jboss.as:management-root=server");
            String state = String.valueOf(server.getAttribute(root, "serverState"));
            return Set.of("running", "reload-required", "restart-required").contains(state.toLowerCase(java.util.Locale.ROOT))
                    && "RUNNING".equalsIgnoreCase(String.valueOf(server.getAttribute(root, "suspendState")));
        } catch (Exception e) {
            LOG.debugf(e, "Cannot read the server's state");
            return false;
        }
    }

    /** Whether WildFly delivers messages to the processor now (the MDB and, for the ForwardingProcessor, its delivery group). */
    public static boolean deliveryActive(String processor) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            return Boolean.TRUE.equals(server.getAttribute(mdb(server, processor), "deliveryActive"))
                    && (!Processors.FORWARDING.equals(processor) || Boolean.TRUE.equals(server.getAttribute(new ObjectName(GROUP), "active")));
        } catch (Exception e) {
            LOG.debugf(e, "Cannot read the %s's delivery state", processor);
            return true;
        }
    }

    private static ObjectName mdb(MBeanServer server, String processor) throws Exception {
        Set<ObjectName> names = server.queryNames(new ObjectName(PATTERN + processor), null);
        if (names.size() != 1) {
            throw new IllegalStateException("expected one " + processor + " MBean, found " + names);
        }
        return names.iterator().next();
    }
}
