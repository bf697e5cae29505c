package io.surepost.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code surepost-failover-store}: the failover database answers and its backlog is under HealthThresholds. */
@Readiness
@ApplicationScoped
public class FailoverStoreCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return SurepostCheck.ask("surepost-failover-store", Probes::failoverStore);
    }
}
