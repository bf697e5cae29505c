package io.surepost.forwarding;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.DeliveryActive;
import org.jboss.ejb3.annotation.Pool;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.jboss.ejb3.annotation.TransactionTimeout;

/**
 * The second forwarding processor of the topic layout ({@code
 * surepost.original.destination-type=jakarta.jms.Topic}): its own durable shared subscription
 * on the Original topic, so it gets every message the ForwardingProcessor gets, and delivers
 * it to its own endpoint, {@code surepost.forwarding.second.target.endpoint}; each other
 * forwarding setting is {@code surepost.forwarding.second.X}, else the ForwardingProcessor's
 * (but its consumers are {@code surepost.forwarding.second.member.count}, default 1).
 * Its retries, dead letters and state (stopped on one node, stopped on all) are its own.
 * <p>
 * WildFly deploys it with its delivery off, and it is in no delivery group: with the queue
 * layout it never connects; with the topic layout {@link ProcessorSyncTask} starts it once the
 * state every node shares says it runs.
 */
@MessageDriven(name = Processors.SECOND, activationConfig = {
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "Original"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Processors.SECOND),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "${surepost.forwarding.second.member.count:1}"),
        @ActivationConfigProperty(propertyName = "setupAttempts", propertyValue = "-1"),
        @ActivationConfigProperty(propertyName = "setupInterval", propertyValue = "1000"),
        @ActivationConfigProperty(propertyName = "reconnectAttempts", propertyValue = "-1"),
        @ActivationConfigProperty(propertyName = "reconnectInterval", propertyValue = "1000")
})
@ResourceAdapter("surepost-consumer")
@DeliveryActive(false)
@Pool("surepost-forwarding")
@TransactionTimeout(ForwardingSettings.TRANSACTION_TIMEOUT_SECONDS)
public class SecondForwardingProcessor extends OriginalConsumer {

    @Override
    protected String processor() {
        return Processors.SECOND;
    }
}
