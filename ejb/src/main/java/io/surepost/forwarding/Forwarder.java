package io.surepost.forwarding;

import io.surepost.journey.JourneyEvent;
import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * What the forwarding processor does with one message taken from the Original store, as a
 * plain class: deliver it, then let {@link ForwardingPolicy} decide what the result means.
 * <ul>
 * <li>retry: back on the queue, due after the back-off delay, with its attempt count, in the
 * transaction that consumed it; the consumer moves on at once. In the order-preserving mode
 * ({@link ForwardingSettings#retryInPlace()}) instead: the next attempt follows the back-off
 * in the same transaction, so the message holds its place and the ones behind it wait;</li>
 * <li>dead-letter: into the dead-letter store. That write has a transaction of its own; when
 * it fails (database down) the message goes back on the queue marked "dead-letter pending",
 * so its next turn only retries the write and never calls the backend again;</li>
 * <li>deactivate: the consuming transaction rolls back, so the message stays first in line,
 * and the processor stops.</li>
 * </ul>
 * Nothing here throws for a backend's or a message's fault: every failure goes through the
 * policy, so none spends the broker's redeliveries.
 */
public final class Forwarder {

    /** What the container does for the forwarder, in or beside the consuming transaction. */
    public interface Actions {
        /**
         * Puts the message back on Original for its next turn, due after {@code delayMillis}, in
         * the consuming transaction. {@code pendingDeadLetter} is the reason when only the
         * dead-letter write is left to do, else null.
         */
        void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter);

        /** Writes the dead letter in a transaction of its own (nothing when its id is there already); throws when it cannot. */
        void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason);

        /** Rolls the consuming transaction back and stops the processor (a deactivation). */
        void deactivate(String reason);

        /** Rolls the consuming transaction back: the message stays first in line (a retry in place that cannot go on). */
        void putBack(String why);

        /** Records a step of the message's journey (off the transaction; never fails). */
        default void journey(String messageId, Instant at, String event, int status, long durationMillis, String detail) {
        }
    }

    /** Waits between two attempts in place; false when the wait was cut short (the server stops). */
    public interface Pause {
        boolean sleep(long millis);

        /** The real one. */
        Pause THREAD = millis -> {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");

    private final String processor;
    private final BackendClient backend;
    private final ProcessorState state;
    private final Actions actions;
    private final DoubleSupplier random;
    private final Pause pause;

    /** @param processor the processor's name, as log lines give it */
    public Forwarder(String processor, BackendClient backend, ProcessorState state, Actions actions, DoubleSupplier random) {
        this(processor, backend, state, actions, random, Pause.THREAD);
    }

    Forwarder(String processor, BackendClient backend, ProcessorState state, Actions actions, DoubleSupplier random, Pause pause) {
        this.pause = pause;
        this.processor = processor;
        this.backend = backend;
        this.state = state;
        this.actions = actions;
        this.random = random;
    }

    /**
     * @param attemptsSoFar     delivery attempts already made (0 the first time)
     * @param pendingDeadLetter the reason, when an earlier turn decided to dead-letter the
     *                          message and could not write it; null otherwise
     */
    public void forward(SoapMessage message, int attemptsSoFar, String pendingDeadLetter, ForwardingSettings settings) {
        if (pendingDeadLetter != null) {
            deadLetter(message, attemptsSoFar, 0, pendingDeadLetter, settings);
            return;
        }
        for (int attempt = attemptsSoFar + 1; ; attempt++) {
            if (!attempt(message, attempt, settings)) {
                return;
            }
        }
    }

    /** One attempt and what follows it; true when the next attempt follows here, in place. */
    private boolean attempt(SoapMessage message, int attempt, ForwardingSettings settings) {
        DeliveryResult result;
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        state.attemptStarted(message.id());
        try {
            result = backend.deliver(message, settings.endpoint(), settings.soapAction(), settings.httpTimeout());
        } catch (RuntimeException e) {
            result = DeliveryResult.unreachable("delivery failed: " + Failures.rootMessage(e));
        } finally {
            state.attemptEnded(message.id());
        }
        actions.journey(message.id(), startedAt, JourneyEvent.Kind.ATTEMPT, result.statusCode(), (System.nanoTime() - started) / 1_000_000,
                "attempt " + attempt + " by " + processor + " to " + settings.endpoint()
                        + (result.delivered() ? "" : ": " + result.reason()));
        ForwardingPolicy.Parameters policy = settings.policy();
        ForwardingPolicy.Decision decision = ForwardingPolicy.decide(result, attempt, policy, random);
        switch (decision.kind()) {
            case DELIVERED -> {
                state.delivered();
                actions.journey(message.id(), Instant.now(), JourneyEvent.Kind.DELIVERED, result.statusCode(), -1, "by " + processor
                        + (decision.note().isEmpty() ? "" : ": " + decision.note()));
                LOG.infof("Message %s delivered to %s (HTTP %d, attempt %d, %s)%s", message.id(), settings.endpoint(), result.statusCode(),
                        attempt, processor, decision.note().isEmpty() ? "" : ": " + decision.note());
            }
            case RETRY -> {
                state.failed(result.reason());
                if (settings.retryInPlace()) {
                    LOG.infof("Message %s: attempt %d of %d failed (%s): %s; next attempt in %d ms, in place (order-preserving"
                                    + " mode: the messages behind it wait)",
                            message.id(), attempt, policy.maxAttempts(), processor, result.reason(), decision.delayMillis());
                    if (pause.sleep(decision.delayMillis()) && !state.notRunning()) {
                        return true;
                    }
                    actions.putBack("the processor stops");
                    LOG.infof("Message %s: %s stops; the message stays first in line", message.id(), processor);
                    return false;
                }
                actions.reschedule(message, attempt, decision.delayMillis(), null);
                actions.journey(message.id(), Instant.now(), JourneyEvent.Kind.RETRY, 0, decision.delayMillis(), "attempt " + (attempt + 1) + " of "
                        + policy.maxAttempts() + " in " + decision.delayMillis() + " ms");
                LOG.infof("Message %s: attempt %d of %d failed (%s): %s; next attempt in %d ms",
                        message.id(), attempt, policy.maxAttempts(), processor, result.reason(), decision.delayMillis());
            }
            case DEAD_LETTER -> deadLetter(message, attempt, result.statusCode(), result.reason() + " (" + decision.note() + ")", settings);
            case DEACTIVATE -> {
                state.failed(result.reason());
                actions.deactivate("message " + message.id() + " failed " + attempt + " attempt(s), " + decision.note() + ": " + result.reason());
                actions.journey(message.id(), Instant.now(), JourneyEvent.Kind.HELD, 0, -1, processor + " deactivated after " + attempt
                        + " attempt(s); the message stays first in Original");
            }
        }
        return false;
    }

    private void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason, ForwardingSettings settings) {
        try {
            actions.deadLetter(message, attempts, lastStatus, reason);
        } catch (RuntimeException e) {
            long retry = settings.policy().retryIntervalMillis();
            String problem = "the dead-letter store did not take message " + message.id() + ": " + Failures.rootMessage(e);
            state.failed(problem);
            actions.reschedule(message, attempts, retry, reason);
            LOG.warnf("%s: %s; it stays on Original and only the dead-letter write is tried again in %d ms"
                    + " (the backend is not called again)", processor, problem, retry);
            return;
        }
        LOG.warnf("%s: message %s moved to the dead-letter store after %d attempt(s): %s",
                processor, message.id(), attempts, reason);
        actions.journey(message.id(), Instant.now(), JourneyEvent.Kind.DEAD_LETTERED, lastStatus, -1, "by " + processor + " after " + attempts
                + " attempt(s): " + reason);
    }
}
