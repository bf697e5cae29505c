package io.surepost.forwarding;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.DeliveryGroup;
import org.jboss.ejb3.annotation.Pool;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.jboss.ejb3.annotation.TransactionTimeout;

/**
 * The seed's ForwardMessageProcessor: consumes the Original store (the queue; in the topic
 * layout, its own durable shared subscription on the topic) and forwards each message to
 * {@code surepost.forwarding.target.endpoint} ({@link OriginalConsumer}).
 * <p>
 * It consumes through the {@code surepost-consumer} pooled connection factory, which keeps
 * reconnecting while the broker is away. {@code maxSession} is the seed's {@code member.count};
 * the delivery group {@code surepost-forwarding} is the seed's {@code is.active}. The
 * transaction timeout is above the longest {@code http.timeout} a setting may hold, so a
 * transaction never times out under a delivery that is still going on. The destination type
 * is {@code surepost.original.destination-type}; the subscription properties apply to the
 * topic only.
 */
@MessageDriven(name = Processors.FORWARDING, activationConfig = {
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "Original"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "${surepost.original.destination-type:jakarta.jms.Queue}"),
        // Topic layout: the subscription every node's ForwardingProcessor shares (declared in broker.xml)
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Processors.FORWARDING),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
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
@TransactionTimeout(ForwardingSettings.TRANSACTION_TIMEOUT_SECONDS)
public class ForwardingProcessor extends OriginalConsumer {

    @Override
    protected String processor() {
        return Processors.FORWARDING;
    }
}
