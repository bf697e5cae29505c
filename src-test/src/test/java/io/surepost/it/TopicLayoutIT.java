package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topic layout ({@code surepost.original.destination-type=jakarta.jms.Topic}): Original is
 * a topic, and each forwarding processor holds its own durable shared subscription, so each
 * delivers every message to its own endpoint: the ForwardingProcessor to the sample backend,
 * the SecondForwardingProcessor to the {@link ControllableBackend}. A retry of one processor
 * goes to its own subscription only, and stopping one leaves the other delivering.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(TopicLayoutIT.TopicLayout.class)
class TopicLayoutIT {

    private static final int MESSAGES = 100;

    /** The topic layout, the second processor pointed at the controllable backend; both undone afterwards. */
    static class TopicLayout extends SystemPropertySetup {
        TopicLayout() {
            super(Map.of("surepost.original.destination-type", "jakarta.jms.Topic",
                    "surepost.forwarding.second.target.endpoint", ControllableBackend.ENDPOINT.toString(),
                    "surepost.forwarding.second.client.retry.interval", "200"));
        }
    }

    @RegisterExtension
    static final ControllableBackend second = ControllableBackend.forTheTestClass();

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    /**
     * The SecondForwardingProcessor is deployed with its delivery off and started by the first
     * step that reads the state every node shares (about a second after deployment): a
     * stop-delivery before then would find it stopped already.
     */
    @BeforeEach
    void bothProcessorsRun() {
        eventually().until(() -> "active".equals(Surepost.status().get("second-forwarding-processor"))
                && "active".equals(Surepost.status().get("forwarding-processor")));
    }

    @AfterEach
    void bothProcessorsRunAgain() {
        if (Surepost.status().getOrDefault("second-forwarding-shared", "").startsWith("inactive")) {
            Management.secondForwarding(management, "start-delivery");
        }
        second.answer(id -> ControllableBackend.Answer.OK);
    }

    @Test
    void eachProcessorDeliversEveryMessageOnceToItsOwnEndpointAndRetriesOnlyItsOwn() {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        second.answer(id -> failedOnce.add(id) ? ControllableBackend.Answer.status(503) : ControllableBackend.Answer.OK);

        List<String> ids = post(MESSAGES);

        eventually().atMost(Duration.ofMinutes(2)).until(() -> Surepost.deliveries(ids).size() == MESSAGES
                && ids.stream().allMatch(id -> delivered(second, id) == 1));
        Map<String, Long> first = Surepost.deliveries(ids);
        assertTrue(first.values().stream().allMatch(count -> count == 1), () -> "the sample backend saw each once: " + first);
        for (String id : ids) {
            assertEquals(2, second.calls(id).size(), () -> "message " + id + ": one refused attempt and one delivery at the second endpoint");
        }
        assertEquals("topic (a durable shared subscription per forwarding processor)", Surepost.status().get("original-layout"));
    }

    @Test
    void stoppingOneProcessorLeavesTheOtherDeliveringAndItsMessagesWaitInItsSubscription() {
        Management.secondForwarding(management, "stop-delivery");

        List<String> ids = post(20);

        eventually().atMost(Duration.ofMinutes(1)).until(() -> Surepost.deliveries(ids).size() == ids.size());
        eventually().until(() -> Broker.messageCount("SecondForwardingProcessor") == ids.size());
        assertTrue(ids.stream().allMatch(id -> second.calls(id).isEmpty()), "nothing reached the stopped processor's endpoint");

        Management.secondForwarding(management, "start-delivery");
        eventually().atMost(Duration.ofMinutes(1)).until(() -> ids.stream().allMatch(id -> delivered(second, id) == 1));
        assertTrue(Surepost.deliveries(ids).values().stream().allMatch(count -> count == 1), "the sample backend still saw each once");
    }

    private static List<String> post(int messages) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            assertEquals(202, response.statusCode(), response::body);
            ids.add(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow());
        }
        return ids;
    }

    private static long delivered(ControllableBackend backend, String id) {
        return backend.calls(id).stream().filter(call -> call.status() == 200).count();
    }
}
