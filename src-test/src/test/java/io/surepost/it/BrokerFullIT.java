package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker that stops taking messages without failing (a full disk, an address full with
 * the BLOCK policy) withholds producer credits, and the Artemis client waits for them without
 * end. Made here with a tiny BLOCK address on Original, set at runtime: every request must
 * still be answered within the send deadline, from the failover store, and every message
 * arrive once the broker takes messages again.
 */
@ExtendWith(ArquillianExtension.class)
class BrokerFullIT {

    private static final int MESSAGES = 150;
    private static final Duration BOUND = Duration.ofSeconds(6);

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerTakesMessagesAgain() {
        Broker.addressSettings(Broker.ORIGINAL, Broker.ORIGINAL_SETTINGS);
        if (!Management.forwardingDeliveryActive(management)) {
            Management.forwarding(management, "start-delivery");
        }
    }

    @Test
    void requestsAreAnsweredFromTheFailoverStoreWhileTheBrokerWithholdsCredits() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0 && Surepost.failoverRows() == 0);
        Management.forwarding(management, "stop-delivery");
        Broker.addressSettings(Broker.ORIGINAL, "{\"addressFullMessagePolicy\":\"BLOCK\",\"maxSizeBytes\":20480,\"pageSizeBytes\":10240,"
                + "\"maxDeliveryAttempts\":-1,\"redeliveryDelay\":1000,\"deadLetterAddress\":\"Original.DLQ\"}");

        List<String> ids = new ArrayList<>();
        long longest = 0;
        for (int i = 0; i < MESSAGES; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            longest = Math.max(longest, System.nanoTime() - start);
            assertEquals(202, response.statusCode(), response::body);
            ids.add(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow());
        }
        Duration wait = Duration.ofNanos(longest);
        assertTrue(wait.compareTo(BOUND) < 0, () -> "the longest wait was " + wait.toMillis() + " ms");
        // Where they went is in the log, not in the table's count now: the failover processor
        // retries the broker on its own timer, and its pooled session may still hold producer
        // credits granted before the address filled, so it can have moved the rows back already
        Set<String> sent = Set.copyOf(ids);
        Pattern toFailover = Pattern.compile("Message (\\S+) accepted \\(HTTP 202, stored in the failover store");
        long failover = Surepost.lines(Surepost.serverLog()).stream().map(toFailover::matcher).filter(Matcher::find)
                .filter(m -> sent.contains(m.group(1))).count();
        assertTrue(failover > 0, "the broker stopped taking messages, the failover store took them");

        Broker.addressSettings(Broker.ORIGINAL, Broker.ORIGINAL_SETTINGS);
        Management.forwarding(management, "start-delivery");
        eventually().atMost(Duration.ofMinutes(2)).until(() -> Surepost.deliveries(ids).size() == MESSAGES);
        eventually().until(() -> Surepost.failoverRows() == 0);
    }
}
