package io.surepost.forwarding;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.logging.Logger;

/**
 * Switches the ForwardingProcessor MDB's delivery through WildFly's own MDB delivery control
 * (the management model, reached in-VM through JMX), so the admin console and jboss-cli
 * show the state and can start delivery again:
 * {@code /deployment=surepost.ear/subdeployment=surepost-ejb.jar/subsystem=ejb3/message-driven-bean=ForwardingProcessor:start-delivery}.
 */
public final class ProcessorControl {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");
    private static final String PATTERN =
            "jboss.as:deployment=*,subdeployment=*,subsystem=ejb3,message-driven-bean=ForwardingProcessor";

    /** The seed's is.active: the ForwardingProcessor's delivery group. */
    private static final String GROUP = "jboss.as:subsystem=ejb3,mdb-delivery-group=surepost-forwarding";

    private ProcessorControl() {
    }

    /** stop-delivery of the ForwardingProcessor; call it off the MDB's own thread. */
    public static void stopDelivery() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.invoke(processor(server), "stopDelivery", new Object[0], new String[0]);
    }

    /** Whether WildFly delivers messages to the ForwardingProcessor now (the MDB and its delivery group). */
    public static boolean deliveryActive() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            return Boolean.TRUE.equals(server.getAttribute(processor(server), "deliveryActive"))
                    && Boolean.TRUE.equals(server.getAttribute(new ObjectName(GROUP), "active"));
        } catch (Exception e) {
            LOG.debugf(e, "Cannot read the ForwardingProcessor's delivery state");
            return true;
        }
    }

    private static ObjectName processor(MBeanServer server) throws Exception {
        Set<ObjectName> names = server.queryNames(new ObjectName(PATTERN), null);
        if (names.size() != 1) {
            throw new IllegalStateException("expected one ForwardingProcessor MBean, found " + names);
        }
        return names.iterator().next();
    }
}
