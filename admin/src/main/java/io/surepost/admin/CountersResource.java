package io.surepost.admin;

import io.surepost.metrics.SurepostMetrics;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * {@code GET /counters}: messages accepted and delivered on this node since it started, and
 * when they were read; the console's chart turns two readings into rates. (Every metric, for
 * Prometheus: {@code http://localhost:9990/prometheus}.)
 */
@RequestScoped
@Path("/counters")
@Produces(MediaType.APPLICATION_JSON)
public class CountersResource {

    public record Counters(Instant at, long accepted, long delivered) {
    }

    @Inject
    private SurepostMetrics metrics;

    @GET
    public Counters counters() {
        SurepostMetrics.Totals totals = metrics.totals();
        return new Counters(Instant.now(), (long) totals.accepted(), (long) totals.delivered());
    }
}
