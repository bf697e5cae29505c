package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's failover scenario: with the broker killed, accepted messages go to the durable
 * failover store and come back to the Original queue by themselves when it returns. Runs on
 * H2 and on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class FailoverIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void nothingWaits() {
        eventually().until(() -> Surepost.failoverRows() == 0);
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "start");
    }

    @Test
    void seedScenarioFiftyBeforeAndFiftyDuringABrokerKillAllArriveExactlyOnce() {
        List<String> before = Surepost.acceptConcurrently(50, 8);
        eventually().until(() -> Surepost.deliveries(before).size() == 50);
        // ...and acknowledged: a kill before the ack commits would mean a (legitimate) redelivery
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);

        Surepost.control("broker", "kill");
        List<String> during = Surepost.acceptConcurrently(50, 8);

        assertEquals(50, Surepost.failoverRows(), "all 50 are in the failover table");
        assertTrue(during.stream().allMatch(id -> Surepost.serverLinesOf(id).stream()
                .anyMatch(line -> line.contains("stored in the failover store"))), "each says where it went");

        Surepost.control("broker", "start");

        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        eventually().until(() -> Surepost.deliveries(all).size() == 100);
        eventually().until(() -> Surepost.failoverRows() == 0);
        Map<String, Long> deliveries = Surepost.deliveries(all);
        assertEquals(Map.of(), Map.copyOf(deliveries.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))), "each id exactly once");
    }

    @Test
    void statusShowsTheProcessorWaitingForTheBrokerAndThenDraining() {
        Surepost.control("broker", "kill");
        String id = Surepost.accept();

        eventually().until(() -> "waiting-for-broker".equals(Surepost.status().get("failover-processor")));
        assertEquals("open", Surepost.status().get("broker-breaker"));
        assertEquals(1, Surepost.failoverRows());
        Surepost.control("broker", "start");

        eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
        eventually().until(() -> "active".equals(Surepost.status().get("failover-processor")));
        assertEquals(0, Surepost.failoverRows());
        assertTrue(Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("moved from the failover store to Original")));
    }
}
