package io.surepost.mediation;

import io.surepost.config.StoreConfiguration;
import io.surepost.config.StoreSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.jboss.logging.Logger;

/**
 * The node's ordered broker list. A single node has one route, the producer factory at
 * {@value #FIRST}. A cluster node (configure-cluster-node.cli) also has {@value #FIRST}-2,
 * {@value #FIRST}-3, ..., each bound to the next broker in that node's order: the store
 * mediator and the failover processor send to the first route that takes the message and
 * fall back along the list, so a node keeps accepting into the broker cluster while any of
 * its brokers lives. ({@code store.broker.routes} caps how many of them are used.)
 * <p>
 * The list is walked by the application, not by the Artemis client: a client's connector
 * list is one broker's way in (a primary and its backup), and its load-balancing policies
 * pick a connector at random or always the first, never "the first that answers".
 * One per server.
 */
@ApplicationScoped
public class BrokerRoutes {

    /** The first route's connection factory (the only one on a single node). */
    public static final String FIRST = "java:/jms/surepost/ProducerConnectionFactory";
    /** More routes than any deployment has; the lookups stop at the first missing one anyway. */
    private static final int MAX_ROUTES = 16;

    private static final Logger LOG = Logger.getLogger("io.surepost.mediation");

    @Inject
    private StoreConfiguration configuration;

    private final List<BrokerRoute> defined = new ArrayList<>();
    /** The number of the route that took the last message (0: none yet). */
    private final AtomicInteger lastUsed = new AtomicInteger();

    @PostConstruct
    void lookUp() {
        try {
            InitialContext naming = new InitialContext();
            for (int number = 1; number <= MAX_ROUTES; number++) {
                String jndi = number == 1 ? FIRST : FIRST + "-" + number;
                try {
                    defined.add(new BrokerRoute(number, (ConnectionFactory) naming.lookup(jndi), new BrokerBreaker()));
                } catch (NameNotFoundException e) {
                    break;
                }
            }
        } catch (NamingException e) {
            throw new IllegalStateException("cannot look up the producer connection factories: " + e.getMessage(), e);
        }
        if (defined.isEmpty()) {
            throw new IllegalStateException("no producer connection factory at " + FIRST + " (run configure-messaging.cli)");
        }
        LOG.infof("Broker list: %s", describe());
    }

    /** Every route the server defines, in order, whether or not {@code store.broker.routes} uses it. */
    public List<BrokerRoute> defined() {
        return List.copyOf(defined);
    }

    /** The routes in use, in order: the defined ones, at most {@code store.broker.routes} of them. */
    public List<BrokerRoute> inUse() {
        return inUse(configuration.current());
    }

    /** The same, under settings the caller has read already (the accept path reads them once per request). */
    public List<BrokerRoute> inUse(StoreSettings settings) {
        int cap = settings.brokerRoutes();
        return cap == 0 || cap >= defined.size() ? defined : defined.subList(0, cap);
    }

    /** The first route: the node's own broker, where retries go. */
    public BrokerRoute first() {
        return defined.get(0);
    }

    public BrokerRoute get(int index) {
        return inUse().get(index);
    }

    public int size() {
        return inUse().size();
    }

    /** A route took a message. */
    public void used(BrokerRoute route) {
        lastUsed.set(route.number());
    }

    /** The number of the route that took the last message, 0 before the first. */
    public int lastUsed() {
        return lastUsed.get();
    }

    /** Whether every route in use is open: new messages go to the failover store. */
    public boolean allOpen() {
        return inUse().stream().allMatch(route -> route.breaker().isOpen());
    }

    public List<BrokerBreaker> breakers() {
        return inUse().stream().map(BrokerRoute::breaker).toList();
    }

    /** For the status page: "broker 1 closed, broker 2 open". */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (BrokerRoute route : inUse()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(route.label()).append(route.breaker().isOpen() ? " open" : " closed");
        }
        return text.toString();
    }
}
