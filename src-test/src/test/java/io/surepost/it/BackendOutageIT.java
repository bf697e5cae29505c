package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** While the backend is down, accepted messages wait in the Original queue; then they all arrive. */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(BackendOutageIT.PatientProcessor.class)
class BackendOutageIT {

    /** Enough attempts for the outage: with the seed's 4 the processor would deactivate (ForwardingProcessorIT). */
    static class PatientProcessor extends SystemPropertySetup {
        PatientProcessor() {
            super("surepost.forwarding.max.delivery.attempts", "1000");
        }
    }

    private static final int MESSAGES = 10;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void backendRunsAgain() {
        Surepost.control("backend", "start");
    }

    @Test
    void messagesStayQueuedWhileTheBackendIsDownAndAreAllDeliveredWhenItReturns() {
        Surepost.eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        Surepost.control("backend", "stop");

        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            accepted.add(Surepost.accept());
        }
        // The processor keeps trying (and failing) while the broker keeps every message
        Surepost.eventually().until(() -> accepted.stream().filter(id -> Surepost.serverLinesOf(id).stream()
                .anyMatch(line -> line.contains(": attempt 2 of"))).count() >= 1);
        // A retry consumes the message and re-queues it in one transaction; between the two
        // counter updates the depth can read one less for an instant, so poll for it
        Surepost.eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == MESSAGES);
        assertTrue(accepted.stream().allMatch(id -> Surepost.backendLinesOf(id).isEmpty()), "nothing reached the backend");

        Surepost.control("backend", "start");

        Surepost.eventually().until(() -> accepted.stream().allMatch(id -> Surepost.backendLinesOf(id).size() == 3));
        Surepost.eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        for (String id : accepted) {
            assertEquals(1, Surepost.deliveredIds().stream().filter(id::equals).count(), () -> id + " delivered once");
        }
    }
}
