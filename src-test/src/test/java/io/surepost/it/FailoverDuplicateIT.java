package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A message the broker stored although its reply never reached Surepost (kill -9 after the
 * journal write, a stall past the send deadline) is in the failover table as well. The drain
 * must drop that copy by its id and move every other row, without a second copy on the
 * queue and without opening the broker breaker. Runs on H2 and on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class FailoverDuplicateIT {

    private static final int ROWS = 501;

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void emptyStoresAndNoForwarding() {
        eventually().until(() -> Surepost.failoverRows() == 0 && Broker.messageCount(Broker.ORIGINAL) == 0);
        Management.forwarding(management, "stop-delivery");
    }

    @AfterEach
    void forwardingAndDrainAgain() {
        Surepost.control("broker", "start");
        Management.removeProperty(management, "surepost.failover.is.active");
        Management.forwarding(management, "start-delivery");
        eventually().atMost(Duration.ofMinutes(2)).until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
    }

    @Test
    void aRowWhoseIdTheBrokerAlreadyHoldsIsDroppedAndEveryOtherRowMovesOnce() {
        Management.setProperty(management, "surepost.failover.is.active", "false");
        Surepost.control("broker", "kill");
        List<String> ids = Surepost.acceptConcurrently(ROWS, 8);
        assertEquals(ROWS, Surepost.failoverRows());
        Surepost.control("broker", "start");
        String storedTwice = ids.get(ROWS / 2);
        Broker.putOnOriginal(storedTwice);

        Management.setProperty(management, "surepost.failover.is.active", "true");

        eventually().until(() -> Surepost.failoverRows() == 0);
        assertEquals(ROWS, Broker.messageCount(Broker.ORIGINAL), "each id once on the queue");
        assertEquals("closed", Surepost.status().get("broker-breaker"), "a duplicate is not a broker outage");
        // new messages go to Original again (the first may still find a pooled connection from before the restart)
        eventually().until(() -> Surepost.serverLinesOf(Surepost.accept()).stream().anyMatch(line -> line.contains("stored in Original")));
    }
}
