package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import io.surepost.it.ControllableBackend.Call;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forwarding processor's rules, one test each, against a backend the test controls.
 * Parameters change on the running server (system properties through the management
 * model), never by redeploying.
 */
@ExtendWith(ArquillianExtension.class)
class ForwardingProcessorIT {

    private static final String P = "surepost.forwarding.";
    private static final List<String> PROPERTIES = List.of("target.endpoint", "client.retry.interval", "max.delivery.attempts",
            "max.delivery.drop", "retry.backoff.multiplier", "retry.backoff.max.delay", "non.retry.status.codes",
            "non.retry.status.outcome", "http.timeout");

    @RegisterExtension
    static final ControllableBackend backend = ControllableBackend.forTheTestClass();

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void pointSurepostAtTheControllableBackend() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        set("target.endpoint", ControllableBackend.ENDPOINT.toString());
        set("client.retry.interval", "300");
    }

    @AfterEach
    void restoreTheDefaults() {
        // The settings first: should starting the processor again fail, no test class after
        // this one (nor a server configuration derived from this one) inherits them
        PROPERTIES.forEach(name -> Management.removeProperty(management, P + name));
        Management.forwardingGroupActive(management, true);
        Management.ensureForwardingActive(management);
    }

    @Test
    void retriesHonourMaxDeliveryAttemptsAndClientRetryInterval() {
        set("max.delivery.attempts", "3");
        set("max.delivery.drop", "Enabled");
        backend.answer(id -> Answer.status(500));

        String id = Surepost.accept();

        eventually().until(() -> deadLetterLogged(id));
        List<Call> calls = backend.calls(id);
        assertEquals(3, calls.size(), "max.delivery.attempts=3");
        for (long gap : gapsMillis(calls)) {
            assertTrue(gap >= 300, "client.retry.interval=300 ms between attempts, was " + gap);
        }
    }

    @Test
    void backOffGrowsByTheMultiplierAndStopsAtTheMaximum() {
        set("max.delivery.attempts", "5");
        set("max.delivery.drop", "Enabled");
        set("client.retry.interval", "200");
        set("retry.backoff.multiplier", "2");
        set("retry.backoff.max.delay", "500");
        backend.answer(id -> Answer.status(503));

        String id = Surepost.accept();

        eventually().until(() -> deadLetterLogged(id));
        List<Long> gaps = gapsMillis(backend.calls(id));
        assertEquals(4, gaps.size());
        assertTrue(gaps.get(0) >= 200 && gaps.get(1) >= 400 && gaps.get(2) >= 500 && gaps.get(3) >= 500, "grows: " + gaps);
        assertTrue(gaps.get(3) < 1200, "capped at 500 ms (uncapped it would be 1600): " + gaps);
    }

    @Test
    void dropDisabledDeactivatesTheProcessorAndKeepsTheMessage() {
        set("max.delivery.attempts", "2");
        backend.answer(id -> Answer.status(500));

        String id = Surepost.accept();

        eventually().until(() -> !Management.forwardingDeliveryActive(management));
        assertEquals(2, backend.calls(id).size(), "no attempt after the last one");
        assertTrue(Surepost.status().get("forwarding-processor").startsWith("inactive: message " + id), Surepost.status()::toString);
        assertEquals(1, Broker.messageCount(Broker.ORIGINAL), "the message stays in Original");
        assertTrue(Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("WARN") && line.contains("ForwardingProcessor deactivated")));
    }

    @Test
    void startDeliveryThroughTheManagementModelDeliversTheKeptMessage() {
        set("max.delivery.attempts", "2");
        backend.answer(id -> Answer.status(500));
        String id = Surepost.accept();
        eventually().until(() -> !Management.forwardingDeliveryActive(management));

        backend.answer(any -> Answer.OK);
        Management.forwarding(management, "start-delivery");

        eventually().until(() -> backend.calls(id).stream().anyMatch(call -> call.status() == 200));
        eventually().until(() -> "active".equals(Surepost.status().get("forwarding-processor")));
        assertEquals(3, backend.calls(id).size(), "resumed with the kept message");
    }

    @Test
    void dropEnabledDeadLettersThePoisonMessageAndGoesOn() {
        set("max.delivery.attempts", "2");
        set("max.delivery.drop", "Enabled");
        long deadLettersBefore = Long.parseLong(Surepost.status().get("dead-letter"));
        // The first message to reach the backend is the poison one (the MDB may deliver a
        // message before its client has the id)
        java.util.concurrent.atomic.AtomicReference<String> first = backend.failTheFirstMessage(Answer.status(500));

        String[] poison = {Surepost.accept()};
        eventually().until(() -> poison[0].equals(first.get()));
        String next = Surepost.accept();

        eventually().until(() -> deadLetterLogged(poison[0]));
        eventually().until(() -> !backend.calls(next).isEmpty());
        assertEquals(deadLettersBefore + 1, Long.parseLong(Surepost.status().get("dead-letter")));
        assertEquals(200, backend.calls(next).get(0).status());
    }

    @Test
    void nonRetryStatusIsFinalAtOnceAndCountsAsDelivered() {
        set("non.retry.status.codes", "404,410");
        backend.answer(id -> Answer.status(404));

        String id = Surepost.accept();

        eventually().until(() -> Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("non-retry status, counted as delivered")));
        assertEquals(1, backend.calls(id).size());
    }

    @Test
    void nonRetryStatusCanBeDeadLettered() {
        set("non.retry.status.codes", "404");
        set("non.retry.status.outcome", "dead-letter");
        backend.answer(id -> Answer.status(404));

        String id = Surepost.accept();

        eventually().until(() -> deadLetterLogged(id));
        assertEquals(1, backend.calls(id).size());
    }

    @Test
    void soapFaultInsideA200IsAFailure() {
        set("max.delivery.attempts", "2");
        set("max.delivery.drop", "Enabled");
        backend.answer(id -> Answer.FAULT_IN_200);

        String id = Surepost.accept();

        eventually().until(() -> deadLetterLogged(id));
        assertEquals(2, backend.calls(id).size(), "retried, then dead-lettered");
        assertTrue(Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("with a SOAP fault")));
    }

    @Test
    void inactiveDeliveryGroupHoldsMessagesUntilActivated() {
        Management.forwardingGroupActive(management, false);

        String id = Surepost.accept();

        eventually().until(() -> Surepost.status().get("forwarding-processor").startsWith("inactive"));
        assertTrue(backend.calls(id).isEmpty(), "is.active=false: nothing delivered");
        assertEquals(1, Broker.messageCount(Broker.ORIGINAL));
        Management.forwardingGroupActive(management, true);
        eventually().until(() -> backend.calls(id).size() == 1);
    }

    @Test
    void aParameterChangedAtRuntimeTakesEffectWithoutRedeploy() {
        String first = Surepost.accept();
        eventually().until(() -> backend.calls(first).size() == 1);

        set("target.endpoint", "http://127.0.0.1:9000/services/SimpleStockQuoteService");
        String second = Surepost.accept();

        eventually().until(() -> Surepost.backendLinesOf(second).size() == 3);
        assertTrue(backend.calls(second).isEmpty(), "went to the new endpoint");
    }

    @Test
    void aBackendThatSendsItsHeadersAndThenStallsIsCutOffAtTheDeadlineAndTriedAgain() {
        set("http.timeout", "2000");
        backend.answer(id -> backend.calls(id).isEmpty() ? Answer.headersThenStall(60_000) : Answer.OK);
        String id = Surepost.accept();

        eventually().until(() -> backend.calls(id).size() == 1);
        eventually().until(() -> Surepost.status().get("forwarding-in-flight").contains(id));
        eventually().until(() -> backend.calls(id).size() == 2);
        eventually().until(() -> Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("delivered to")));

        long gap = gapsMillis(backend.calls(id)).get(0);
        assertTrue(gap >= 2000 && gap < 10_000, "the stalled attempt ended at its 2 s deadline, then came the retry: " + gap + " ms");
        assertTrue(Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("did not finish its answer within 2000 ms")));
    }

    @Test
    void aBadSettingIsNeverAppliedTheLastGoodOneStaysAndStatusSaysWhy() {
        String first = Surepost.accept();
        eventually().until(() -> backend.calls(first).size() == 1);

        set("target.endpoint", "htp//127.0.0.1:9100/backend");
        set("max.delivery.attempts", "four");
        String second = Surepost.accept();

        eventually().until(() -> backend.calls(second).size() == 1);
        assertTrue(Surepost.status().get("forwarding-settings").startsWith("refused"), Surepost.status().get("forwarding-settings"));
        assertEquals(0, Broker.messageCount("Original.DLQ"), "nothing went to the broker's DLQ");
    }

    private void set(String name, String value) {
        Management.setProperty(management, P + name, value);
    }

    private static boolean deadLetterLogged(String id) {
        return Surepost.serverLinesOf(id).stream().anyMatch(line -> line.contains("moved to the dead-letter store"));
    }

    private static List<Long> gapsMillis(List<Call> calls) {
        return java.util.stream.IntStream.range(1, calls.size())
                .mapToObj(i -> Duration.ofNanos(calls.get(i).nanoTime() - calls.get(i - 1).nanoTime()).toMillis()).toList();
    }
}
