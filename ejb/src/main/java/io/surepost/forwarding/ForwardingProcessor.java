package io.surepost.forwarding;

import io.surepost.config.Settings;
import io.surepost.message.SoapMessage;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.OriginalStore;
import io.surepost.store.OriginalStoreMessages;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.ejb3.annotation.DeliveryGroup;
import org.jboss.ejb3.annotation.Pool;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.jboss.logging.Logger;

/**
 * The seed's ForwardMessageProcessor: takes messages from the Original store and delivers
 * them to the backend, inside the container's (XA) transaction. {@link ForwardingPolicy}
 * decides what a failure means:
 * <ul>
 * <li>retry: the message goes back on the queue, due after the back-off delay, with its
 * attempt count, in the same transaction that consumed it; the consumer moves on at once;</li>
 * <li>dead-letter ({@code max.delivery.drop=Enabled}): into the dead-letter store, same transaction;</li>
 * <li>deactivate ({@code max.delivery.drop=Disabled}): the transaction rolls back, so the
 * message stays first in line, and WildFly's MDB delivery control stops the processor.</li>
 * </ul>
 * It consumes through the {@code surepost-consumer} pooled connection factory, which keeps
 * reconnecting while the broker is away. {@code maxSession} is the seed's {@code member.count};
 * the delivery group {@code surepost-forwarding} is the seed's {@code is.active}.
 */
@MessageDriven(name = "ForwardingProcessor", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/surepost/Original"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "${surepost.forwarding.member.count:1}"),
        // Keep trying to (re)connect while the broker is down; resume about a second after it returns
        @ActivationConfigProperty(propertyName = "setupAttempts", propertyValue = "-1"),
        @ActivationConfigProperty(propertyName = "setupInterval", propertyValue = "1000"),
        @ActivationConfigProperty(propertyName = "reconnectAttempts", propertyValue = "-1"),
        @ActivationConfigProperty(propertyName = "reconnectInterval", propertyValue = "1000")
})
@ResourceAdapter("surepost-consumer")
@DeliveryGroup("surepost-forwarding")
@Pool("surepost-forwarding") // configure-surepost.cli: 64 instances, so no consumer session waits for one
public class ForwardingProcessor implements MessageListener {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");

    /** One client for all deliveries; timeouts are read at deployment. */
    private static final BackendClient BACKEND = new BackendClient(Settings.connectTimeout(), Settings.readTimeout());
    private static final ProcessorState STATE = ProcessorState.INSTANCE;

    @Resource
    private MessageDrivenContext context;

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private OriginalStore original;

    @EJB
    private DeadLetterStore deadLetters;

    @Override
    public void onMessage(Message jms) {
        if (!STATE.mayDeliver()) {
            context.setRollbackOnly(); // a deactivation is under way: put it back untouched
            return;
        }
        SoapMessage message;
        int attempt;
        try {
            message = OriginalStoreMessages.fromJms(jms);
            attempt = (jms.propertyExists(SoapMessage.Headers.JMS_ATTEMPTS) ? jms.getIntProperty(SoapMessage.Headers.JMS_ATTEMPTS) : 0) + 1;
        } catch (JMSException e) {
            // Not ours to judge: keep it on the broker, whose delivery limit moves it to Original.DLQ
            LOG.errorf(e, "Cannot read a message from Original; it stays on the broker");
            context.setRollbackOnly();
            return;
        }
        String endpoint = Settings.targetEndpoint();
        ForwardingPolicy.Parameters parameters = new ForwardingPolicy.Parameters(Settings.maxDeliveryAttempts(),
                Settings.maxDeliveryDrop(), Settings.nonRetryStatusCodes(), Settings.nonRetryStatusIsDelivered(),
                Settings.clientRetryIntervalMillis(), Settings.retryBackoffMultiplier(), Settings.retryBackoffMaxDelayMillis(),
                Settings.retryBackoffJitter());
        DeliveryResult result = BACKEND.deliver(message, URI.create(endpoint), Settings.targetSoapAction());
        ForwardingPolicy.Decision decision = ForwardingPolicy.decide(result, attempt, parameters, ThreadLocalRandom.current()::nextDouble);
        switch (decision.kind()) {
            case DELIVERED -> {
                STATE.delivered();
                LOG.infof("Message %s delivered to %s (HTTP %d, attempt %d)%s", message.id(), endpoint, result.statusCode(),
                        attempt, decision.note().isEmpty() ? "" : ": " + decision.note());
            }
            case RETRY -> {
                STATE.failed(result.reason());
                original.reschedule(message, attempt, decision.delayMillis());
                LOG.infof("Message %s: attempt %d of %d failed: %s; next attempt in %d ms",
                        message.id(), attempt, parameters.maxAttempts(), result.reason(), decision.delayMillis());
            }
            case DEAD_LETTER -> {
                deadLetters.store(message, attempt, result.statusCode(), result.reason() + " (" + decision.note() + ")");
                LOG.warnf("ForwardingProcessor: message %s moved to the dead-letter store after %d attempt(s): %s (%s)",
                        message.id(), attempt, result.reason(), decision.note());
            }
            case DEACTIVATE -> {
                STATE.failed(result.reason());
                context.setRollbackOnly(); // the message stays first in line
                String reason = "message " + message.id() + " failed " + attempt + " attempt(s), " + decision.note() + ": " + result.reason();
                if (STATE.deactivating(reason)) {
                    LOG.warnf("ForwardingProcessor deactivated (max.delivery.drop=Disabled): %s. Start it again with "
                            + "start-delivery on the ForwardingProcessor MDB (admin console or jboss-cli)", reason);
                    executor.submit(ForwardingProcessor::stopDelivery);
                }
            }
        }
        throttle();
    }

    private static void stopDelivery() {
        try {
            ProcessorControl.stopDelivery();
        } catch (Exception e) {
            LOG.errorf(e, "ForwardingProcessor: could not stop delivery through the management model");
        } finally {
            STATE.deactivated();
        }
    }

    /** The seed's {@code interval}: a pause after each delivery, which throttles this consumer. */
    private static void throttle() {
        long interval = Settings.forwardingIntervalMillis();
        if (interval > 0) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
