package io.surepost.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.surepost.journey.JourneyEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Surepost's meters, in WildFly's Micrometer registry (configure-observability.cli; scraped at
 * {@code http://localhost:9990/prometheus}). Every name and what it counts is in
 * docs/operations.md, "Metrics". Without the Micrometer subsystem the meters still count, in a
 * registry of their own that nobody scrapes, and the log says so once. One per server.
 *
 * <p>Meters are made with the registry's own {@code counter(name, tags)} and
 * {@code timer(name, tags)}: WildFly's per-deployment registry passes only those on to the
 * registries it exports (a {@code Counter.builder(...).register(registry)} meter stays in the
 * deployment's registry, unseen, and asks for a configuration WildFly does not give). Each meter
 * is looked up once and kept.
 */
@ApplicationScoped
public class SurepostMetrics {

    private static final Logger LOG = Logger.getLogger("io.surepost.metrics");

    @Inject
    private Instance<MeterRegistry> registries;

    private MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> acceptedByStore = new ConcurrentHashMap<>();
    private final Map<String, Timer> acceptTimeByStore = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        if (registries.isResolvable()) {
            registry = registries.get();
        } else {
            registry = new SimpleMeterRegistry();
            LOG.info("No Micrometer registry in this server (configure-observability.cli adds it): Surepost's metrics are not exposed");
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A message accepted into {@code store} (original or failover), {@code nanos} after it arrived. */
    public void accepted(String store, long nanos) {
        // On the accept path: the meters by the store's name alone, no key built per message
        acceptedByStore.computeIfAbsent(store, name -> registry.counter("surepost.messages.accepted", "store", name)).increment();
        acceptTimeByStore.computeIfAbsent(store, name -> registry.timer("surepost.accept", "store", name)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request refused: {@code reason} is stores-unavailable, or the HTTP status of a bad request (http-400, http-413, ...). */
    public void refused(String reason) {
        counter("surepost.messages.refused", "reason", reason).increment();
    }

    /** Messages the failover processor moved back to the broker. */
    public void moved(int count) {
        counter("surepost.messages.moved").increment(count);
    }

    /** A step of the forwarding: an attempt (its status and duration), a delivery, a dead letter. */
    public void forwarding(String processor, String event, int status, long durationMillis) {
        switch (event) {
            case JourneyEvent.Kind.ATTEMPT -> {
                boolean answered = status >= 200 && status < 300;
                String outcome = answered ? "status-2xx" : reason(status);
                timer("surepost.delivery", "processor", processor, "outcome", outcome).record(Math.max(0, durationMillis), TimeUnit.MILLISECONDS);
                if (!answered) {
                    counter("surepost.delivery.attempts.failed", "processor", processor, "reason", outcome).increment();
                }
            }
            case JourneyEvent.Kind.DELIVERED -> counter("surepost.messages.delivered", "processor", processor).increment();
            case JourneyEvent.Kind.DEAD_LETTERED -> counter("surepost.messages.dead.lettered", "processor", processor).increment();
            default -> {
                // other steps are not counted
            }
        }
    }

    /** A gauge of {@code value} over {@code state}, which the caller keeps (the registry holds it weakly). */
    public <T> void gauge(String name, String tag, String tagValue, T state, ToDoubleFunction<T> value) {
        registry.gauge(name, Tags.of(tag, tagValue), state, value);
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> registry.counter(name, tags(tags)));
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(key(name, tags), k -> registry.timer(name, tags(tags)));
    }

    private static Tags tags(String... tags) {
        return tags.length == 0 || tags[0] == null ? Tags.empty() : Tags.of(tags);
    }

    private static String key(String name, String... tags) {
        return tags.length == 0 || tags[0] == null ? name : name + '|' + String.join("|", tags);
    }

    /** Messages accepted and delivered since the server started (the console's chart takes their rates). */
    public record Totals(double accepted, double delivered) {
    }

    public Totals totals() {
        return new Totals(registry.find("surepost.messages.accepted").counters().stream().mapToDouble(Counter::count).sum(),
                registry.find("surepost.messages.delivered").counters().stream().mapToDouble(Counter::count).sum());
    }

    /** An attempt's outcome as a tag: no-response, status-4xx, status-5xx or status-other. */
    static String reason(int status) {
        if (status == 0) {
            return "no-response";
        }
        if (status >= 400 && status < 500) {
            return "status-4xx";
        }
        if (status >= 500 && status < 600) {
            return "status-5xx";
        }
        return "status-other";
    }
}
