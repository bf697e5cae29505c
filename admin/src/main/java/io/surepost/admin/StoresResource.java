package io.surepost.admin;

import io.surepost.forwarding.Processors;
import io.surepost.store.BrokerQueues;
import io.surepost.store.BrokerUnavailableException;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.FailoverStore;
import io.surepost.store.StoreFigures;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /stores}: each store with its depth, the age of its oldest message and its
 * bytes: the Original queue (in the topic layout, each processor's subscription), the failover
 * table, the dead-letter store and the broker's Original.DLQ. A store that cannot be read now
 * says why instead of its figures; the others still answer.
 */
@RequestScoped
@Path("/stores")
@Produces(MediaType.APPLICATION_JSON)
public class StoresResource {

    /** One store; a figure not known is null, and {@code problem} says why. */
    public record Store(String name, String kind, Long depth, Long oldestAgeMillis, Long bytes, String problem) {
    }

    @EJB
    private BrokerQueues broker;

    @EJB
    private FailoverStore failover;

    @EJB
    private DeadLetterStore deadLetters;

    @Inject
    private Processors processors;

    @GET
    public List<Store> stores() {
        List<Store> stores = new ArrayList<>();
        if (processors.layout().topic()) {
            for (String processor : processors.names()) {
                stores.add(queue("Original::" + processor, "subscription", processor));
            }
        } else {
            stores.add(queue("Original", "queue", "Original"));
        }
        stores.add(table("failover", "table SUREPOST_FAILOVER", failover::figures));
        stores.add(table("dead-letter", "table SUREPOST_DEAD_LETTER", deadLetters::figures));
        stores.add(queue("Original.DLQ", "queue", "Original.DLQ"));
        return stores;
    }

    private Store queue(String name, String kind, String queue) {
        try {
            BrokerQueues.Figures figures = broker.figures(queue);
            return new Store(name, kind, figures.depth(), figures.oldestAgeMillis(), figures.bytes(), null);
        } catch (BrokerUnavailableException e) {
            return new Store(name, kind, null, null, null, "the broker cannot be read now: " + e.getMessage());
        }
    }

    private static Store table(String name, String kind, Supplier<StoreFigures> figures) {
        try {
            StoreFigures f = figures.get();
            return new Store(name, kind, f.depth(), f.oldestAgeMillis(), f.bytes(), null);
        } catch (RuntimeException e) {
            return new Store(name, kind, null, null, null, "the database cannot be read now");
        }
    }
}
