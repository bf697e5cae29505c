package io.surepost.forwarding;

import io.surepost.config.Settings;
import io.surepost.message.SoapMessage;
import io.surepost.store.OriginalStoreMessages;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.net.URI;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.jboss.logging.Logger;

/**
 * The seed's ForwardMessageProcessor: takes messages from the Original store and delivers
 * them to the backend, inside the container's transaction. A failed delivery rolls the
 * transaction back, so the broker keeps the message and redelivers it.
 * <p>
 * It consumes through the {@code surepost-consumer} pooled connection factory, which keeps
 * reconnecting while the broker is away. {@code maxSession} is the seed's
 * {@code member.count}.
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
public class ForwardingProcessor implements MessageListener {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");

    /** One client for all deliveries; timeouts are read at deployment. */
    private static final BackendClient BACKEND = new BackendClient(Settings.connectTimeout(), Settings.readTimeout());

    @Resource
    private MessageDrivenContext context;

    @Override
    public void onMessage(Message jms) {
        SoapMessage message;
        int attempt;
        try {
            message = OriginalStoreMessages.fromJms(jms);
            attempt = jms.getIntProperty("JMSXDeliveryCount");
        } catch (JMSException e) {
            // Not ours to judge: keep it on the broker, where its redelivery limit applies
            LOG.errorf(e, "Cannot read a message from Original; it stays on the broker");
            context.setRollbackOnly();
            return;
        }
        String endpoint = Settings.targetEndpoint();
        int maxAttempts = Settings.maxDeliveryAttempts();
        DeliveryResult result = BACKEND.deliver(message, URI.create(endpoint), Settings.targetSoapAction());
        switch (ForwardingPolicy.decide(result, attempt, maxAttempts)) {
            case DELIVERED -> LOG.infof("Message %s delivered to %s (HTTP %d, attempt %d)",
                    message.id(), endpoint, result.statusCode(), attempt);
            case RETRY -> {
                LOG.infof("Message %s: attempt %d of %d failed: %s; the broker redelivers it after client.retry.interval",
                        message.id(), attempt, maxAttempts, result.reason());
                context.setRollbackOnly();
            }
            case UNDELIVERABLE -> {
                LOG.warnf("Message %s: attempt %d failed (max.delivery.attempts=%d reached): %s; it stays in Original and is retried",
                        message.id(), attempt, maxAttempts, result.reason());
                context.setRollbackOnly();
            }
        }
    }
}
