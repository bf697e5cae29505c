package io.surepost.mediation;

import io.surepost.config.FailoverSettings;
import io.surepost.config.StoreConfiguration;
import io.surepost.config.StoreSettings;
import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import io.surepost.store.DatabaseSync;
import io.surepost.store.FailoverStore;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;

/**
 * The seed's store mediator with producer-side guaranteed delivery: puts an accepted
 * message into the Original store (the broker) and, when the broker cannot take it, into
 * the failover store (the database). It returns only once one of them has it durably;
 * otherwise it says, with a reason a person can act on, that nothing was stored.
 * <p>
 * It runs outside any transaction on purpose: the JMS send is a blocking durable send with
 * no transaction and the failover write commits in a transaction of its own, so a failed
 * send arrives here as an exception and cannot doom the failover write.
 * <p>
 * A failover row counts as stored once it is on disk ({@link DatabaseSync}), not merely
 * committed. The failover write has a deadline too ({@code store.failover.write.timeout}): a
 * database that stalls gets the client a 503 in bounded time. Such a write may still commit
 * later; the message is then delivered although its client was told it was not stored (and
 * may send it again under a new id): at least once, never lost.
 * <p>
 * A request never waits for a broker longer than {@code store.broker.send.timeout}: the
 * send goes through the broker's sender lanes ({@link BrokerSenders}, group commit: concurrent
 * requests share one transaction and one journal sync, each answered after the commit that
 * holds its message), under the deadline protocol of {@link DeadlineExecutor}. A cluster node
 * has an ordered broker list ({@link BrokerRoutes}), each broker with its own deadline and
 * breaker: a message goes to the next broker of the list only when the one before surely does
 * not have it (it could not be reached, its transaction failed before the commit, or its
 * breaker is open); after a commit that failed or timed out on the way, it goes to the
 * failover store, as on a single node, so no broker queues it twice. A broker that misses the
 * deadline counts as unavailable (the breaker opens) and the message goes to the failover
 * store. Such a commit may still complete later; the copy in the failover store then carries an id the broker
 * already holds, and the failover processor drops it rather than queue it twice.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StoreMediator {

    private static final Logger LOG = Logger.getLogger("io.surepost.mediation");

    @Inject
    private BrokerSenders senders;

    @EJB
    private FailoverStore failover;

    @EJB
    private DatabaseSync databaseSync;

    @Inject
    private BrokerRoutes routes;

    @Inject
    private FailoverGate gate;

    @Inject
    private DeadlineExecutor deadlines;

    @Inject
    private StoreConfiguration configuration;

    /**
     * Stores the message durably.
     *
     * @return where it went
     * @throws StoreUnavailableException when no store took the message
     */
    public Destination store(SoapMessage message) throws StoreUnavailableException {
        StoreSettings settings = configuration.current();
        if (!settings.preserveOrder()) {
            return storeNow(message, false, settings);
        }
        Lock decision = gate.decision();
        decision.lock();
        try {
            return storeNow(message, gate.rowsWaiting(), settings);
        } finally {
            decision.unlock();
        }
    }

    private Destination storeNow(SoapMessage message, boolean behindFailoverRows, StoreSettings settings) throws StoreUnavailableException {
        String brokerProblem;
        String brokerProblemForClient;
        int mayHoldIt = 1; // the broker of the list that may hold the message after all (1 when none may)
        if (behindFailoverRows) {
            brokerProblem = "order-preserving mode: older messages are still in the failover store";
            brokerProblemForClient = brokerProblem;
        } else {
            // The node's brokers in its order: the first that takes the message has it
            List<BrokerRoute> list = routes.inUse(settings);
            List<String> problems = new ArrayList<>();
            List<String> problemsForClient = new ArrayList<>();
            for (BrokerRoute route : list) {
                Problem problem = send(message, route, settings);
                if (problem == null) {
                    routes.used(route);
                    if (!problems.isEmpty()) {
                        LOG.infof("Message %s stored on %s of the broker list (%s)", message.id(), route.label(), String.join("; ", problems));
                    }
                    return Destination.ORIGINAL;
                }
                String prefix = list.size() == 1 ? "" : route.label() + ": ";
                problems.add(prefix + problem.text());
                problemsForClient.add(prefix + problem.textForClient());
                if (!problem.nothingSent()) {
                    // The broker may hold the message after all: another broker would queue it a
                    // second time. The failover row is kept for this broker, whose duplicate
                    // detection drops the copy if it has the message (FailoverStore.owner).
                    mayHoldIt = route.number();
                    break;
                }
                if (problem.deadlineSpent()) {
                    // Nothing was sent, but the request has waited its send deadline already:
                    // the failover store now, so every request keeps its bound
                    break;
                }
            }
            brokerProblem = String.join("; ", problems);
            brokerProblemForClient = String.join("; ", problemsForClient);
        }
        if (!settings.guaranteedDelivery()) {
            throw new StoreUnavailableException(message.id(), "The message was not stored: the message broker is unavailable ("
                    + brokerProblemForClient + ") and guaranteed delivery is disabled. Nothing was kept; send the message again later."
                    + " The server log has the details under message " + message.id() + ".", null);
        }
        gate.rowStored(); // before the write: should it commit after its deadline, new messages still queue behind it
        long deadline = settings.failoverWriteTimeoutMillis();
        String failoverProblem;
        Exception cause = null;
        try {
            String reason = brokerProblem;
            int route = mayHoldIt;
            deadlines.run(DeadlineExecutor.Lane.FAILOVER_STORE, () -> {
                failover.store(message, FailoverSettings.ORIGINAL, reason, route);
                databaseSync.awaitDurable();
            }, deadline);
            return Destination.FAILOVER;
        } catch (TimeoutException e) {
            failoverProblem = "it did not confirm the write within " + deadline + " ms (store.failover.write.timeout)";
        } catch (RejectedExecutionException e) {
            failoverProblem = "it has not answered " + deadlines.running(DeadlineExecutor.Lane.FAILOVER_STORE) + " writes that are still waiting";
        } catch (EJBException e) {
            failoverProblem = "the database did not take the write";
            cause = e;
        }
        LOG.errorf("Message %s: neither the broker (%s) nor the failover store (%s) took it; the client is told",
                message.id(), brokerProblem, cause == null ? failoverProblem : Failures.rootMessage(cause));
        throw new StoreUnavailableException(message.id(), "The message was not stored: the message broker is unavailable ("
                + brokerProblemForClient + ") and so is the failover store (" + failoverProblem
                + "). Nothing was kept; send the message again later. The server log has the details under message " + message.id()
                + ".", cause);
    }

    /** Sends to one broker of the list within the deadline; returns null when it has the message, else why not. */
    private Problem send(SoapMessage message, BrokerRoute route, StoreSettings settings) {
        long probeInterval = settings.brokerProbeIntervalMillis();
        BrokerBreaker breaker = route.breaker();
        if (!breaker.allowsAttempt(probeInterval)) {
            String text = "the broker failed recently; next probe within " + probeInterval + " ms";
            return new Problem(text, text, true, false);
        }
        long deadline = settings.brokerSendTimeoutMillis();
        Problem problem;
        try {
            senders.send(message, route, settings.preserveOrder() ? nodeGroup() : null, deadline);
            breaker.succeeded();
            return null;
        } catch (DeadlineExecutor.Missed e) {
            // Started: a sender lane took it and its commit may still complete; the failover
            // drain's move through this broker then meets its duplicate detection. Not started
            // (no lane took it by the deadline): it never will, this broker surely does not have it
            String text = e.started()
                    ? "the broker did not confirm the message within " + deadline + " ms (store.broker.send.timeout)"
                    : "no sender lane reached the broker within " + deadline + " ms (store.broker.send.timeout): nothing was sent";
            problem = new Problem(text, text, !e.started(), true);
        } catch (RejectedExecutionException e) {
            String text = "the broker has not answered " + senders.waiting(route) + " sends that are still waiting";
            problem = new Problem(text, text, true, false);
        } catch (GroupCommit.NotSent e) {
            // The client learns what happened, never the broker client's own text (the log has it)
            problem = new Problem(Failures.rootMessage(e), e.reached() ? "it did not take the message" : "it cannot be reached", true, false);
        } catch (GroupCommit.Unconfirmed e) {
            problem = new Problem(Failures.rootMessage(e), "it did not confirm the message", false, false);
        }
        breaker.failed(probeInterval);
        LOG.warnf("Message %s: the Original store (JMS broker%s) did not take it: %s", message.id(),
                routes.inUse(settings).size() == 1 ? "" : ", " + route.label() + " of the broker list", problem.text());
        return problem;
    }

    /** The JMS group of the messages this node accepts in the order-preserving mode: the node's name (none when it has none). */
    private static String nodeGroup() {
        String node = FailoverStore.node();
        return node.isEmpty() ? null : node;
    }

    /**
     * Why a broker did not take a message: for the log (with the cause) and for the client
     * (without internals); whether it surely did not get it (no connection, nothing committed,
     * not tried), so the next broker of the list may take it; and whether the send's deadline was spent waiting
     * (then no further broker is tried: the request goes to the failover store within its bound).
     */
    private record Problem(String text, String textForClient, boolean nothingSent, boolean deadlineSpent) {
    }

    /** Where an accepted message was stored. */
    public enum Destination {
        ORIGINAL, FAILOVER
    }
}
