package io.surepost.health;

import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** Asks {@link Probes} one question and turns the answer into a named health check response. */
final class SurepostCheck {

    private SurepostCheck() {
    }

    static HealthCheckResponse ask(String name, Function<Probes, Probe> question) {
        HealthCheckResponseBuilder check = HealthCheckResponse.named(name);
        Probe probe;
        try {
            probe = question.apply(InitialContext.doLookup(Probes.JNDI_NAME));
        } catch (NamingException e) {
            return check.down().withData("problem", "Surepost's EJB module is not deployed (" + Probes.JNDI_NAME + ")").build();
        } catch (RuntimeException e) {
            return check.down().withData("problem", "the check failed: " + e.getClass().getSimpleName()).build();
        }
        probe.data().forEach(check::withData);
        return check.status(probe.up()).build();
    }
}
