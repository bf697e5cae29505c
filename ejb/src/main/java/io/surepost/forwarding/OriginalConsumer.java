package io.surepost.forwarding;

import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import io.surepost.store.DatabaseSync;
import io.surepost.journey.Journey;
import io.surepost.metrics.SurepostMetrics;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.OriginalStore;
import io.surepost.store.OriginalStoreMessages;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * What both forwarding MDBs do ({@link ForwardingProcessor}, {@link SecondForwardingProcessor}):
 * take messages from their part of the Original store, inside the container's (XA)
 * transaction, and hand each to {@link Forwarder}, which delivers it and applies the
 * forwarding policy. This class only connects the forwarder to the container: the
 * transaction, the stores and WildFly's MDB delivery control; the subclasses say where they
 * consume from.
 */
public abstract class OriginalConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger("io.surepost.forwarding");
    /** The longest a message that arrives before the first sync step waits for it in its session. */
    private static final long AWAIT_SHARED_STATE_MILLIS = 30_000;

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
    private Processors processors;

    @Inject
    private Journey journey;

    @Inject
    private SurepostMetrics metrics;

    private ProcessorState state;
    private ForwardingConfiguration configuration;

    @Inject
    private BackendClient backend;

    private Forwarder forwarder;

    @EJB
    private ProcessorSyncTask processorSync;

    /** This processor's name: its MDB's, its subscription's in the topic layout, its shared state row's. */
    protected abstract String processor();

    @PostConstruct
    void connect() {
        String processor = processor();
        state = processors.state(processor);
        configuration = processors.configuration(processor);
        forwarder = new Forwarder(processor, backend, state, new Forwarder.Actions() {
            @Override
            public void reschedule(SoapMessage message, int attemptsSoFar, long delayMillis, String pendingDeadLetter) {
                original.reschedule(message, processor, attemptsSoFar, delayMillis, pendingDeadLetter);
            }

            @Override
            public void deadLetter(SoapMessage message, int attempts, int lastStatus, String reason) {
                deadLetters.store(message, processor, attempts, lastStatus, reason);
                databaseSync.awaitDurable(); // on disk before the message leaves the queue
            }

            @Override
            public void journey(String messageId, Instant at, String event, int status, long durationMillis, String detail) {
                journey.record(messageId, at, event, status, durationMillis, detail);
                metrics.forwarding(processor, event, status, durationMillis);
            }

            @Override
            public void putBack(String why) {
                context.setRollbackOnly(); // the message stays first in line
            }

            @Override
            public void deactivate(String reason) {
                context.setRollbackOnly(); // the message stays first in line
                if (state.deactivating(reason)) {
                    LOG.warnf("%s deactivated (max.delivery.drop=Disabled): %s. Start it again with "
                            + "start-delivery on the %s MDB (admin console or jboss-cli)", processor, reason, processor);
                    executor.submit(() -> stopDelivery(reason));
                }
            }
        }, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void onMessage(Message jms) {
        // Just deployed: wait here (a few seconds at most) for the state every node shares
        state.awaitSharedState(AWAIT_SHARED_STATE_MILLIS);
        if (!state.mayDeliver()) {
            // the shared state is still not read, or a deactivation is under way: put it back untouched
            context.setRollbackOnly();
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
            deadLetters.store(raw, processor(), 0, 0, reason);
            databaseSync.awaitDurable();
            LOG.warnf("%s: message %s moved to the dead-letter store: %s", processor(), raw.id(), reason);
        } catch (RuntimeException e) {
            LOG.errorf("%s: message %s (%s) cannot go to the dead-letter store either (%s); it stays on Original",
                    processor(), raw.id(), reason, Failures.rootMessage(e));
            context.setRollbackOnly();
        }
    }

    private void stopDelivery(String reason) {
        try {
            processorSync.deactivatedHere(processor(), reason); // every node stops, and it stays stopped across restarts
        } catch (RuntimeException e) {
            LOG.errorf("%s: could not record the deactivation for the other nodes (%s); this node stops,"
                    + " and the record is tried again every second", processor(), Failures.rootMessage(e));
        }
        try {
            ProcessorControl.stopDelivery(processor());
            processorSync.stoppedHere(processor()); // an operator's start after this is a change
        } catch (Exception e) {
            LOG.errorf(e, "%s: could not stop delivery through the management model", processor());
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
