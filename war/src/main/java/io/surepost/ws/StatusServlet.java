package io.surepost.ws;

import io.surepost.failover.FailoverProcessor;
import io.surepost.mediation.BrokerBreaker;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code GET /services/status}: Surepost's own state as {@code name: value} lines, for
 * people and for {@code ./surepost status}. Read-only; it changes nothing.
 */
@WebServlet("/status")
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private FailoverProcessor failoverProcessor;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        String failover;
        try {
            failover = Long.toString(failoverProcessor.waiting());
        } catch (RuntimeException e) {
            failover = "unknown (the failover store cannot be read)";
        }
        out.println("failover: " + failover);
        out.println("failover-processor: " + failoverProcessor.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (!failoverProcessor.lastError().isEmpty()) {
            out.println("failover-processor-last-error: " + failoverProcessor.lastError());
        }
        out.println("broker-breaker: " + (BrokerBreaker.INSTANCE.isOpen() ? "open" : "closed"));
    }
}
