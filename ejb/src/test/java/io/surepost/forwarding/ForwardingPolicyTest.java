package io.surepost.forwarding;

import static io.surepost.forwarding.ForwardingPolicy.Kind.DEACTIVATE;
import static io.surepost.forwarding.ForwardingPolicy.Kind.DEAD_LETTER;
import static io.surepost.forwarding.ForwardingPolicy.Kind.DELIVERED;
import static io.surepost.forwarding.ForwardingPolicy.Kind.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ForwardingPolicyTest {

    private static final DeliveryResult OK = DeliveryResult.ofResponse(200, "");
    private static final DeliveryResult DOWN = DeliveryResult.unreachable("refused");
    private static final DeliveryResult NOT_FOUND = DeliveryResult.ofResponse(404, "");
    /** The seed's forwarding processor: 4 attempts, 1 s apart, Disabled. */
    private static final ForwardingPolicy.Parameters SEED =
            new ForwardingPolicy.Parameters(4, false, Set.of(), true, 1000, 1.0, 300_000, 0.0);

    @Test
    void deliveredMessageIsDeliveredWhateverTheAttempt() {
        assertEquals(DELIVERED, decide(OK, 1, SEED).kind());
        assertEquals(DELIVERED, decide(OK, 9, SEED).kind());
    }

    @Test
    void failureBeforeTheLastAttemptIsRetriedAfterTheRetryInterval() {
        assertEquals(new ForwardingPolicy.Decision(RETRY, 1000, ""), decide(DOWN, 1, SEED));
        assertEquals(new ForwardingPolicy.Decision(RETRY, 1000, ""), decide(DOWN, 3, SEED));
    }

    @Test
    void lastFailedAttemptWithDropDisabledDeactivates() {
        assertEquals(DEACTIVATE, decide(DOWN, 4, SEED).kind());
        assertEquals("max.delivery.attempts=4 reached", decide(DOWN, 4, SEED).note());
    }

    @Test
    void lastFailedAttemptWithDropEnabledDeadLetters() {
        ForwardingPolicy.Parameters enabled = new ForwardingPolicy.Parameters(4, true, Set.of(), true, 1000, 1.0, 300_000, 0.0);

        assertEquals(DEAD_LETTER, decide(DOWN, 4, enabled).kind());
    }

    @Test
    void nonRetryStatusIsFinalAtOnceAndCountsAsDeliveredByDefault() {
        ForwardingPolicy.Parameters parameters = new ForwardingPolicy.Parameters(4, false, Set.of(404), true, 1000, 1.0, 300_000, 0.0);

        assertEquals(DELIVERED, decide(NOT_FOUND, 1, parameters).kind());
        assertEquals(RETRY, decide(DeliveryResult.ofResponse(500, ""), 1, parameters).kind());
    }

    @Test
    void nonRetryStatusCanCountAsDeadLetter() {
        ForwardingPolicy.Parameters parameters = new ForwardingPolicy.Parameters(4, false, Set.of(404), false, 1000, 1.0, 300_000, 0.0);

        assertEquals(DEAD_LETTER, decide(NOT_FOUND, 1, parameters).kind());
    }

    @Test
    void backOffGrowsByTheMultiplierAndStopsAtTheMaximum() {
        ForwardingPolicy.Parameters backoff = new ForwardingPolicy.Parameters(10, false, Set.of(), true, 200, 2.0, 1000, 0.0);

        List<Long> delays = IntStream.rangeClosed(1, 6).mapToObj(attempt -> decide(DOWN, attempt, backoff).delayMillis()).toList();

        assertEquals(List.of(200L, 400L, 800L, 1000L, 1000L, 1000L), delays);
    }

    @Test
    void jitterSpreadsTheDelayWithinItsBounds() {
        ForwardingPolicy.Parameters jittered = new ForwardingPolicy.Parameters(10, false, Set.of(), true, 1000, 1.0, 300_000, 0.5);

        assertEquals(500, ForwardingPolicy.decide(DOWN, 1, jittered, () -> 0.0).delayMillis());
        assertEquals(1000, ForwardingPolicy.decide(DOWN, 1, jittered, () -> 0.5).delayMillis());
        long high = ForwardingPolicy.decide(DOWN, 1, jittered, () -> 0.999_999).delayMillis();
        assertTrue(high >= 1499 && high <= 1500, "upper bound " + high);
    }

    private static ForwardingPolicy.Decision decide(DeliveryResult result, int attempt, ForwardingPolicy.Parameters parameters) {
        return ForwardingPolicy.decide(result, attempt, parameters, () -> 0.5);
    }
}
