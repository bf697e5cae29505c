package io.surepost.monitoring;

import io.surepost.forwarding.ProcessorControl;
import io.surepost.forwarding.Processors;
import io.surepost.health.HealthThresholds;
import io.surepost.health.Probe;
import io.surepost.health.Probes;
import io.surepost.message.Failures;
import io.surepost.store.BrokerQueues;
import io.surepost.store.FailoverStore;
import io.surepost.store.StoreFigures;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answers behind Surepost's health checks (the health module's {@link Probes}). A question
 * to a store has {@value #DEADLINE_MILLIS} ms: a store that does not answer in time is DOWN, so
 * a probe never hangs on a stalled broker or database.
 */
@Stateless
@Local(Probes.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SurepostProbes implements Probes {

    static final long DEADLINE_MILLIS = 3000;

    @EJB
    private BrokerQueues broker;

    @EJB
    private FailoverStore failover;

    @Inject
    private Processors processors;

    @Resource
    private ManagedExecutorService executor;

    @Override
    public Probe broker() {
        String queue = processors.layout().topic() ? Processors.FORWARDING : "Original";
        try {
            BrokerQueues.Figures figures = bounded(() -> broker.figures(queue));
            return Probe.up(Map.of("original-depth", String.valueOf(figures.depth() == null ? -1 : figures.depth())));
        } catch (Exception e) {
            return Probe.down("the broker does not answer: " + why(e) + " (messages go to the failover table meanwhile)");
        }
    }

    @Override
    public Probe failoverStore() {
        StoreFigures figures;
        try {
            figures = bounded(failover::depthAndAge);
        } catch (Exception e) {
            return Probe.down("the failover database does not answer: " + why(e));
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("rows", String.valueOf(figures.depth()));
        data.put("oldest-age-seconds", String.valueOf(figures.oldestAgeMillis() == null ? 0 : figures.oldestAgeMillis() / 1000));
        String exceeded = HealthThresholds.current().exceededBy(figures.depth(), figures.oldestAgeMillis());
        if (exceeded != null) {
            data.put("problem", exceeded);
        }
        return new Probe(exceeded == null, Map.copyOf(data));
    }

    @Override
    public Probe forwarding() {
        Map<String, String> data = new LinkedHashMap<>();
        boolean up = true;
        for (String processor : processors.names()) {
            String state = processors.state(processor).describe(ProcessorControl.deliveryActive(processor));
            data.put(processor, state);
            up &= !state.startsWith("inactive");
        }
        return new Probe(up, Map.copyOf(data));
    }

    @Override
    public String node() {
        return FailoverStore.node();
    }

    private <T> T bounded(Callable<T> question) throws Exception {
        Future<T> answer = executor.submit(question);
        try {
            return answer.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new TimeoutException("no answer within " + DEADLINE_MILLIS + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String why(Exception e) {
        return e instanceof TimeoutException ? e.getMessage() : Failures.rootMessage(e);
    }
}
