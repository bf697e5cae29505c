package io.surepost.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code surepost-broker}: the broker answers its management address (with Original's depth). */
@Readiness
@ApplicationScoped
public class BrokerCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return SurepostCheck.ask("surepost-broker", Probes::broker);
    }
}
