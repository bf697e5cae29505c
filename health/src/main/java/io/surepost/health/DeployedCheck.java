package io.surepost.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness {@code surepost}: the application is deployed and answers (with the node's name). */
@Liveness
@ApplicationScoped
public class DeployedCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return SurepostCheck.ask("surepost", probes -> Probe.up(Map.of("node", probes.node())));
    }
}
