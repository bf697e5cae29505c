package io.surepost.forwarding;

/**
 * Decides what happens after a delivery attempt, following the seed's
 * ScheduledMessageForwardingProcessor parameters.
 * <p>
 * A failed message is never dropped: the transaction rolls back and the broker redelivers
 * it after {@code client.retry.interval} (the broker's redelivery delay, see broker.xml).
 * Once {@code max.delivery.attempts} is reached the message counts as undeliverable and
 * says so loudly at every further attempt; it stays first in line
 * ({@code max.delivery.drop=Disabled}).
 */
public final class ForwardingPolicy {

    /** What the processor does with the message after an attempt. */
    public enum Decision {
        /** The backend has it: commit, the message leaves the queue. */
        DELIVERED,
        /** Roll back; the broker redelivers after client.retry.interval. */
        RETRY,
        /** Roll back like RETRY, but the message has used up max.delivery.attempts: warn. */
        UNDELIVERABLE
    }

    private ForwardingPolicy() {
    }

    /**
     * @param result      the attempt's result
     * @param attempt     1 for the first delivery (JMSXDeliveryCount)
     * @param maxAttempts max.delivery.attempts
     */
    public static Decision decide(DeliveryResult result, int attempt, int maxAttempts) {
        if (result.delivered()) {
            return Decision.DELIVERED;
        }
        return attempt >= maxAttempts ? Decision.UNDELIVERABLE : Decision.RETRY;
    }
}
