package io.surepost.metrics;

import io.surepost.forwarding.Processors;
import io.surepost.store.BrokerQueues;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.FailoverStore;
import io.surepost.store.StoreFigures;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gauges of the stores' depths and oldest ages ({@code surepost.store.depth},
 * {@code surepost.store.oldest.age.seconds}, tag {@code store}): read from the broker and the
 * database every 10 s, so a scrape never waits for a store; a store that cannot be read shows
 * NaN until it can.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class StoreGauges {

    private static final long PERIOD_SECONDS = 10;

    @Inject
    private SurepostMetrics metrics;

    @Inject
    private Processors processors;

    @EJB
    private BrokerQueues broker;

    @EJB
    private FailoverStore failover;

    @EJB
    private DeadLetterStore deadLetters;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    /** Per store: depth and oldest age in seconds, NaN when not known. */
    private final Map<String, double[]> figures = new ConcurrentHashMap<>();
    private ScheduledFuture<?> refreshes;

    @PostConstruct
    void register() {
        for (String store : stores()) {
            double[] values = {Double.NaN, Double.NaN};
            figures.put(store, values);
            metrics.gauge("surepost.store.depth", "store", store, values, v -> v[0]);
            metrics.gauge("surepost.store.oldest.age.seconds", "store", store, values, v -> v[1]);
        }
        refreshes = scheduler.scheduleWithFixedDelay(this::refresh, 1, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        refreshes.cancel(false);
    }

    private List<String> stores() {
        return processors.layout().topic()
                ? List.of(Processors.FORWARDING, Processors.SECOND, "failover", "dead-letter", "Original.DLQ")
                : List.of("Original", "failover", "dead-letter", "Original.DLQ");
    }

    private void refresh() {
        for (String store : figures.keySet()) {
            double[] values = figures.get(store);
            try {
                if (store.equals("failover") || store.equals("dead-letter")) {
                    StoreFigures f = store.equals("failover") ? failover.depthAndAge() : deadLetters.depthAndAge();
                    set(values, f.depth(), f.oldestAgeMillis());
                } else {
                    BrokerQueues.Figures f = broker.figures(store);
                    set(values, f.depth() == null ? Double.NaN : f.depth(), f.oldestAgeMillis());
                }
            } catch (RuntimeException e) {
                values[0] = Double.NaN;
                values[1] = Double.NaN;
            }
        }
    }

    private static void set(double[] values, double depth, Long oldestAgeMillis) {
        values[0] = depth;
        values[1] = oldestAgeMillis == null ? 0 : oldestAgeMillis / 1000.0;
    }
}
