package io.surepost.forwarding;

import static io.surepost.forwarding.ForwardingPolicy.Decision.DELIVERED;
import static io.surepost.forwarding.ForwardingPolicy.Decision.RETRY;
import static io.surepost.forwarding.ForwardingPolicy.Decision.UNDELIVERABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ForwardingPolicyTest {

    private static final DeliveryResult OK = DeliveryResult.ofResponse(200, "");
    private static final DeliveryResult DOWN = DeliveryResult.unreachable("refused");

    @Test
    void deliveredMessageIsDeliveredWhateverTheAttempt() {
        assertEquals(DELIVERED, ForwardingPolicy.decide(OK, 1, 4));
        assertEquals(DELIVERED, ForwardingPolicy.decide(OK, 9, 4));
    }

    @Test
    void failureBeforeTheLastAttemptIsRetried() {
        assertEquals(RETRY, ForwardingPolicy.decide(DOWN, 1, 4));
        assertEquals(RETRY, ForwardingPolicy.decide(DOWN, 3, 4));
    }

    @Test
    void failureOfTheLastAttemptMakesTheMessageUndeliverable() {
        assertEquals(UNDELIVERABLE, ForwardingPolicy.decide(DOWN, 4, 4));
        assertEquals(UNDELIVERABLE, ForwardingPolicy.decide(DOWN, 5, 4));
    }
}
