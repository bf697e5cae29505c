package io.surepost.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code surepost-forwarding}: every forwarding processor of the layout is active (each one's state as data). */
@Readiness
@ApplicationScoped
public class ForwardingCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return SurepostCheck.ask("surepost-forwarding", Probes::forwarding);
    }
}
