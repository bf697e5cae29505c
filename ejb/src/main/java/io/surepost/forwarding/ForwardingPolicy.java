package io.surepost.forwarding;

import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Decides what happens to a message after a delivery attempt, following the seed's
 * ScheduledMessageForwardingProcessor parameters, plus exponential back-off. Nothing is ever
 * discarded: a message leaves the Original queue delivered, dead-lettered, or not at all.
 */
public final class ForwardingPolicy {

    /** What the processor does with the message after an attempt. */
    public enum Kind {
        /** The backend has it (or answered a non-retry status counted as delivered): consume it. */
        DELIVERED,
        /** Schedule the next attempt after {@link Decision#delayMillis()}; the consumer moves on meanwhile. */
        RETRY,
        /** max.delivery.drop=Enabled (or a non-retry status counted as failed): to the dead-letter store. */
        DEAD_LETTER,
        /** max.delivery.drop=Disabled: stop the processor, keep the message first in line. */
        DEACTIVATE
    }

    /** A decision and, for RETRY, the wait before the next attempt. */
    public record Decision(Kind kind, long delayMillis, String note) {
    }

    /** The parameters, read from the settings for each message. */
    public record Parameters(int maxAttempts, boolean dropEnabled, Set<Integer> nonRetryStatusCodes,
                             boolean nonRetryIsDelivered, long retryIntervalMillis, double backoffMultiplier,
                             long maxDelayMillis, double jitter) {
    }

    private ForwardingPolicy() {
    }

    /**
     * @param result  the attempt's result
     * @param attempt 1 for the first delivery attempt
     * @param random  a source of numbers in [0, 1) for the jitter
     */
    public static Decision decide(DeliveryResult result, int attempt, Parameters parameters, DoubleSupplier random) {
        if (result.delivered()) {
            return new Decision(Kind.DELIVERED, 0, "");
        }
        if (parameters.nonRetryStatusCodes().contains(result.statusCode())) {
            return parameters.nonRetryIsDelivered()
                    ? new Decision(Kind.DELIVERED, 0, "HTTP " + result.statusCode() + " is a non-retry status, counted as delivered")
                    : new Decision(Kind.DEAD_LETTER, 0, "HTTP " + result.statusCode() + " is a non-retry status");
        }
        if (attempt >= parameters.maxAttempts()) {
            String note = "max.delivery.attempts=" + parameters.maxAttempts() + " reached";
            return parameters.dropEnabled() ? new Decision(Kind.DEAD_LETTER, 0, note) : new Decision(Kind.DEACTIVATE, 0, note);
        }
        return new Decision(Kind.RETRY, retryDelay(attempt, parameters, random), "");
    }

    /** client.retry.interval times multiplier^(attempt-1), capped, then spread by the jitter. */
    static long retryDelay(int attempt, Parameters parameters, DoubleSupplier random) {
        double delay = parameters.retryIntervalMillis() * Math.pow(parameters.backoffMultiplier(), attempt - 1);
        delay = Math.min(delay, parameters.maxDelayMillis());
        if (parameters.jitter() > 0) {
            delay *= 1 + parameters.jitter() * (2 * random.getAsDouble() - 1);
        }
        return Math.max(0, Math.round(delay));
    }
}
