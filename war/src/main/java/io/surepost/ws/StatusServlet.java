package io.surepost.ws;

import io.surepost.config.FailoverConfiguration;
import io.surepost.config.ProxyConfiguration;
import io.surepost.config.StoreConfiguration;
import io.surepost.failover.FailoverProcessor;
import io.surepost.forwarding.Processors;
import io.surepost.forwarding.ProcessorControl;
import io.surepost.forwarding.ProcessorState;
import io.surepost.mediation.BrokerRoutes;
import io.surepost.store.DeadLetterStore;
import io.surepost.store.ProcessorStateStore;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code GET /services/status}: Surepost's own state as {@code name: value} lines, for
 * people and for {@code ./surepost status}. Read-only; it changes nothing. It needs a login
 * (web.xml: surepost-viewer or surepost-admin).
 */
@WebServlet("/status")
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private FailoverProcessor failoverProcessor;

    @EJB
    private DeadLetterStore deadLetters;

    @EJB
    private ProcessorStateStore processorStates;

    @Inject
    private BrokerRoutes routes;

    @Inject
    private Processors processors;

    @Inject
    private StoreConfiguration storeConfiguration;

    @Inject
    private FailoverConfiguration failoverConfiguration;

    @Inject
    private ProxyConfiguration proxyConfiguration;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        line(out, "failover: " + count(failoverProcessor::waiting));
        line(out, "failover-processor: " + failoverProcessor.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (!failoverProcessor.lastError().isEmpty()) {
            line(out, "failover-processor-last-error: " + failoverProcessor.lastError());
        }
        line(out, "broker-breaker: " + (routes.allOpen() ? "open" : "closed"));
        if (routes.size() > 1) {
            line(out, "broker-list: " + routes.describe());
            line(out, "broker-in-use: " + (routes.lastUsed() == 0 ? "none yet" : "broker " + routes.lastUsed()));
        }
        line(out, "dead-letter: " + count(deadLetters::count));
        line(out, "original-layout: " + processors.layout().describe());
        for (String processor : processors.names()) {
            // ForwardingProcessor: forwarding-*; SecondForwardingProcessor (topic layout): second-forwarding-*
            String key = Processors.SECOND.equals(processor) ? "second-forwarding" : "forwarding";
            ProcessorState state = processors.state(processor);
            line(out, key + "-processor: " + state.describe(ProcessorControl.deliveryActive(processor)));
            line(out, key + "-in-flight: " + state.describeInFlight());
            line(out, key + "-shared: " + shared(processor));
            line(out, key + "-settings: " + processors.configuration(processor).describe());
        }
        line(out, "store-settings: " + storeConfiguration.describe());
        line(out, "failover-settings: " + failoverConfiguration.describe());
        line(out, "proxy-settings: " + proxyConfiguration.describe());
    }

    /** The processor state every node follows: {@code active}, or {@code inactive: why [node]}. */
    private String shared(String processor) {
        try {
            return processorStates.read(processor)
                    .map(r -> r.isActive() ? "active" : "inactive: " + r.getReason() + " [" + r.getChangedOn() + "]")
                    .orElse("active");
        } catch (RuntimeException e) {
            return "unknown (the database cannot be read)";
        }
    }

    /** One {@code name: value} line, ended by a plain newline whatever the platform. */
    private static void line(PrintWriter out, String line) {
        out.print(line);
        out.print('\n');
    }

    private static String count(LongSupplier counter) {
        try {
            return Long.toString(counter.getAsLong());
        } catch (RuntimeException e) {
            return "unknown (the database cannot be read)";
        }
    }
}
