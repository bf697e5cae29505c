package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.message.SoapMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The forwarding processor's work on one message, without a container. */
class ForwarderTest {

    private static final SoapMessage MESSAGE = SoapMessage.accept("<e/>".getBytes(), "text/xml", "urn:getQuote");

    private final List<String> calls = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<String> journey = new ArrayList<>();
    private Function<SoapMessage, DeliveryResult> backendAnswer = m -> DeliveryResult.ofResponse(200, "");
    private boolean deadLetterStoreDown;
    /** Whether a wait between two attempts in place runs to its end. */
    private boolean pausesEnd = true;
    private final ProcessorState running = running();

    private static ProcessorState running() {
        ProcessorState state = new ProcessorState();
        state.sharedStateApplied();
        return state;
    }

    private final BackendClient backend = new BackendClient(1024) {
        @Override
        public DeliveryResult deliver(SoapMessage message, URI endpoint, String soapAction, Duration deadline) {
            calls.add(message.id());
            return backendAnswer.apply(message);
        }
    };

    private final Forwarder forwarder = new Forwarder("ForwardingProcessor", backend, running, new Forwarder.Actions() {
        @Override
        public void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
            actions.add("reschedule " + attemptsSoFar + (pendingDeadLetter == null ? "" : " pending dead letter"));
        }

        @Override
        public void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason) {
            if (deadLetterStoreDown) {
                throw new IllegalStateException("database down");
            }
            actions.add("dead-letter " + attempts);
        }

        @Override
        public void deactivate(String reason) {
            actions.add("deactivate");
        }

        @Override
        public void putBack(String why) {
            actions.add("put back");
        }

        @Override
        public void journey(String messageId, java.time.Instant at, String event, int status, long durationMillis, String detail) {
            journey.add(event + (status == 0 ? "" : " " + status));
        }
    }, () -> 0.5, millis -> {
        actions.add("wait " + millis);
        return pausesEnd;
    });

    private static ForwardingSettings settings(Map<String, String> properties) {
        return ForwardingSettings.read(name -> properties.get(name));
    }

    @Test
    void theJourneyRecordsEachAttemptWithItsStatusAndWhatFollowed() {
        backendAnswer = m -> DeliveryResult.ofResponse(500, "");
        forwarder.forward(MESSAGE, 0, null, ForwardingSettings.defaults());
        backendAnswer = m -> DeliveryResult.ofResponse(200, "");
        forwarder.forward(MESSAGE, 1, null, ForwardingSettings.defaults());

        assertEquals(List.of("delivery attempt 500", "retry scheduled", "delivery attempt 200", "delivered 200"), journey);
    }

    @Test
    void theJourneyRecordsADeadLetterWithTheLastStatus() {
        backendAnswer = m -> DeliveryResult.ofResponse(503, "");

        forwarder.forward(MESSAGE, 0, null, settings(Map.of("surepost.forwarding.max.delivery.attempts", "1",
                "surepost.forwarding.max.delivery.drop", "Enabled")));

        assertEquals(List.of("delivery attempt 503", "dead-lettered 503"), journey);
    }

    @Test
    void anUnexpectedExceptionWhileDeliveringIsAFailedAttemptThatThePolicyRetries() {
        backendAnswer = m -> {
            throw new IllegalArgumentException("invalid header value");
        };

        forwarder.forward(MESSAGE, 0, null, ForwardingSettings.defaults());

        assertEquals(List.of("reschedule 1"), actions);
    }

    @Test
    void aDeadLetterTheStoreCannotTakeGoesBackMarkedAndTheBackendIsNotCalledAgain() {
        backendAnswer = m -> DeliveryResult.ofResponse(500, "");
        deadLetterStoreDown = true;
        ForwardingSettings settings = settings(Map.of("surepost.forwarding.max.delivery.attempts", "1",
                "surepost.forwarding.max.delivery.drop", "Enabled"));

        forwarder.forward(MESSAGE, 0, null, settings);
        assertEquals(List.of("reschedule 1 pending dead letter"), actions);

        deadLetterStoreDown = false;
        forwarder.forward(MESSAGE, 1, "backend answered HTTP 500", settings);

        assertEquals(List.of("reschedule 1 pending dead letter", "dead-letter 1"), actions);
        assertEquals(1, calls.size(), "one call to the backend in all");
    }

    @Test
    void inTheOrderPreservingModeAFailedAttemptIsTriedAgainInPlaceAfterTheBackOffNeverRequeued() {
        List<DeliveryResult> answers = new ArrayList<>(List.of(DeliveryResult.ofResponse(503, ""), DeliveryResult.unreachable("refused"),
                DeliveryResult.ofResponse(200, "")));
        backendAnswer = m -> answers.remove(0);

        forwarder.forward(MESSAGE, 0, null, settings(Map.of("surepost.store.preserve.order", "true",
                "surepost.forwarding.retry.backoff.multiplier", "2")));

        assertEquals(List.of("wait 1000", "wait 2000"), actions);
        assertEquals(3, calls.size());
    }

    @Test
    void retriesInPlaceEndAsAnyRetriesDoAtTheLastAttempt() {
        backendAnswer = m -> DeliveryResult.ofResponse(500, "");

        forwarder.forward(MESSAGE, 0, null, settings(Map.of("surepost.store.preserve.order", "true",
                "surepost.forwarding.max.delivery.drop", "Enabled")));

        assertEquals(List.of("wait 1000", "wait 1000", "wait 1000", "dead-letter 4"), actions);
    }

    @Test
    void aRetryInPlaceWhoseWaitIsCutShortPutsTheMessageBackFirstInLine() {
        backendAnswer = m -> DeliveryResult.ofResponse(500, "");
        pausesEnd = false;

        forwarder.forward(MESSAGE, 0, null, settings(Map.of("surepost.store.preserve.order", "true")));

        assertEquals(List.of("wait 1000", "put back"), actions);
        assertEquals(1, calls.size());
    }

    @Test
    void aRetryInPlaceStopsWhenTheProcessorIsBeingDeactivated() {
        backendAnswer = m -> {
            running.stopping("stopped on node-2");
            return DeliveryResult.ofResponse(500, "");
        };

        forwarder.forward(MESSAGE, 0, null, settings(Map.of("surepost.store.preserve.order", "true")));

        assertEquals(List.of("wait 1000", "put back"), actions);
    }

    @Test
    void theLastFailedAttemptWithDropDisabledDeactivates() {
        backendAnswer = m -> DeliveryResult.unreachable("refused");

        forwarder.forward(MESSAGE, 3, null, ForwardingSettings.defaults());

        assertEquals(List.of("deactivate"), actions);
    }

    @Test
    void aDeliveryUnderWayShowsInTheStatusAndIsGoneAfterwards() {
        ProcessorState state = new ProcessorState();
        List<String> seen = new ArrayList<>();
        BackendClient observing = new BackendClient(1024) {
            @Override
            public DeliveryResult deliver(SoapMessage message, URI endpoint, String soapAction, Duration deadline) {
                seen.add(state.describeInFlight());
                return DeliveryResult.ofResponse(200, "");
            }
        };
        Forwarder.Actions delivered = new Forwarder.Actions() {
            @Override
            public void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
            }

            @Override
            public void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason) {
            }

            @Override
            public void deactivate(String reason) {
            }

            @Override
            public void putBack(String why) {
            }
        };
        new Forwarder("ForwardingProcessor", observing, state, delivered, () -> 0.5).forward(MESSAGE, 0, null, ForwardingSettings.defaults());

        assertTrue(seen.get(0).startsWith("1, longest "), seen.get(0));
        assertTrue(seen.get(0).contains(MESSAGE.id()), seen.get(0));
        assertEquals("none", state.describeInFlight());
    }
}
