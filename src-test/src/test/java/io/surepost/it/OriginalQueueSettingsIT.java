package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Original queue's settings on the running broker, read through its management address:
 * only Surepost's forwarding policy may take a message off the queue, so the broker must never
 * move one to Original.DLQ on its own after a number of rollbacks (deactivations, restarts).
 */
class OriginalQueueSettingsIT {

    @Test
    void theBrokerNeverMovesAMessageOffOriginalOnItsOwn() {
        String settings = Broker.addressSettingsOf(Broker.ORIGINAL).replace(" ", "");

        assertTrue(settings.contains("\"maxDeliveryAttempts\":-1"), () -> "no broker delivery limit on Original: " + settings);
        assertTrue(settings.contains("\"redeliveryDelay\":1000"), () -> "a rollback is redelivered after a second: " + settings);
    }
}
