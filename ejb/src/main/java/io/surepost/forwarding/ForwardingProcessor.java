package io.surepost.forwarding;

import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import io.surepost.store.DatabaseSync;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.OriginalStore;
import io.surepost.store.OriginalStoreMessages;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.ejb3.annotation.DeliveryGroup;
import org.jboss.ejb3.annotation.Pool;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.jboss.ejb3.annotation.TransactionTimeout;
import org.jboss.logging.Logger;

/**
 * The seed's ForwardMessageProcessor: takes messages from the Original store, inside the
 * container's (XA) transaction, and hands each to {@link Forwarder}, which delivers it and
 * applies the forwarding policy. This class only connects the forwarder to the container:
 * the queue, the transaction, the stores and WildFly's MDB delivery control.
 * <p>
 * It consumes through the {@code surepost-consumer} pooled connection factory, which keeps
 * reconnecting while the broker is away. {@code maxSession} is the seed's {@code member.count};
 * the delivery group {@code surepost-forwarding} is the seed's {@code is.active}. The
 * transaction timeout is above the longest {@code http.timeout} a setting may hold, so a
 * transaction never times out under a delivery that is still going on.
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
@TransactionTimeout(ForwardingSettings.TRANSACTION_TIMEOUT_SECONDS)
public class ForwardingProcessor implements MessageListener {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");

    @Resource
    private MessageDrivenContext context;

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private OriginalStore original;

    @EJB
    private DeadLetterStore deadLetters;

    @EJB
    private DatabaseSync databaseSync;

    @Inject
    private ProcessorState state;

    @Inject
    private ForwardingConfiguration configuration;

    @Inject
    private BackendClient backend;

    private Forwarder forwarder;

    @PostConstruct
    void connect() {
        forwarder = new Forwarder(backend, state, new Forwarder.Actions() {
            @Override
            public void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
                original.reschedule(message, attemptsSoFar, delayMillis, pendingDeadLetter);
            }

            @Override
            public void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason) {
                deadLetters.store(message, attempts, lastStatus, reason);
                databaseSync.awaitDurable(); // on disk before the message leaves the queue
            }

            @Override
            public void deactivate(String reason) {
                context.setRollbackOnly(); // the message stays first in line
                if (state.deactivating(reason)) {
                    LOG.warnf("ForwardingProcessor deactivated (max.delivery.drop=Disabled): %s. Start it again with "
                            + "start-delivery on the ForwardingProcessor MDB (admin console or jboss-cli)", reason);
                    executor.submit(ForwardingProcessor.this::stopDelivery);
                }
            }
        }, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void onMessage(Message jms) {
        if (!state.mayDeliver()) {
            context.setRollbackOnly(); // a deactivation is under way: put it back untouched
            return;
        }
        OriginalStoreMessages.Turn turn;
        try {
            turn = OriginalStoreMessages.turnOf(jms);
        } catch (Exception e) {
            deadLetterUnreadable(jms, e);
            return;
        }
        ForwardingSettings settings = configuration.current();
        forwarder.forward(turn.message(), turn.attemptsSoFar(), turn.pendingDeadLetter(), settings);
        throttle(settings.intervalMillis());
    }

    /** Something that is not a Surepost message is on the queue: keep it in the dead-letter store, say so, go on. */
    private void deadLetterUnreadable(Message jms, Exception problem) {
        SoapMessage raw = OriginalStoreMessages.asFoundOnTheQueue(jms);
        String reason = "not a message Surepost can deliver: " + Failures.rootText(problem);
        try {
            deadLetters.store(raw, 0, 0, reason);
            databaseSync.awaitDurable();
            LOG.warnf("ForwardingProcessor: message %s moved to the dead-letter store: %s", raw.id(), reason);
        } catch (RuntimeException e) {
            LOG.errorf("ForwardingProcessor: message %s (%s) cannot go to the dead-letter store either (%s); it stays on Original",
                    raw.id(), reason, Failures.rootMessage(e));
            context.setRollbackOnly();
        }
    }

    private void stopDelivery() {
        try {
            ProcessorControl.stopDelivery();
        } catch (Exception e) {
            LOG.errorf(e, "ForwardingProcessor: could not stop delivery through the management model");
        } finally {
            state.deactivated();
        }
    }

    /** The seed's {@code interval}: a pause after each delivery, which throttles this consumer. */
    private static void throttle(long interval) {
        if (interval > 0) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
