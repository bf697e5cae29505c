package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * member.count=4 (four concurrent consumers, set before the deployment: it is read when the
 * MDB is activated): one message that keeps failing does not hold up the others.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(MemberCountIT.FourMembers.class)
class MemberCountIT {

    /** The seed's member.count, before the EAR is deployed. */
    static class FourMembers extends SystemPropertySetup {
        FourMembers() {
            super("surepost.forwarding.member.count", "4");
        }
    }

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void defaults() {
        Management.removeProperty(management, "surepost.forwarding.target.endpoint");
        Management.removeProperty(management, "surepost.forwarding.max.delivery.attempts");
        Management.removeProperty(management, "surepost.forwarding.max.delivery.drop");
        Management.removeProperty(management, "surepost.forwarding.http.timeout");
    }

    @Test
    void aBackendThatStallsOnOneMessageHoldsUpOnlyThatConsumerAndOnlyUntilTheDeadline() {
        try (ControllableBackend backend = new ControllableBackend()) {
            Management.setProperty(management, "surepost.forwarding.target.endpoint", ControllableBackend.ENDPOINT.toString());
            Management.setProperty(management, "surepost.forwarding.http.timeout", "10000");
            // The first call to reach the backend stalls (decided there, so no race with the 202)
            java.util.concurrent.atomic.AtomicBoolean stallNext = new java.util.concurrent.atomic.AtomicBoolean(true);
            backend.answer(id -> stallNext.compareAndSet(true, false) ? Answer.headersThenStall(60_000) : Answer.OK);

            String[] stalled = {Surepost.accept()};
            eventually().until(() -> backend.calls(stalled[0]).size() == 1);
            List<String> others = Surepost.acceptConcurrently(20, 4);

            eventually().until(() -> others.stream().allMatch(id -> backend.calls(id).size() == 1));
            assertTrue(backend.calls(stalled[0]).size() == 1, "the 20 others went through while the stalled call waited for its 10 s deadline");
            eventually().until(() -> Surepost.serverLinesOf(stalled[0]).stream().anyMatch(line -> line.contains("delivered to")));
            assertTrue(Surepost.serverLinesOf(stalled[0]).stream().anyMatch(line -> line.contains("did not finish its answer within 10000 ms")),
                    "the stalled attempt ended at its deadline and was tried again");
        }
    }

    @Test
    void onePoisonMessageDoesNotHoldUpTheOthers() {
        try (ControllableBackend backend = new ControllableBackend()) {
            Management.setProperty(management, "surepost.forwarding.target.endpoint", ControllableBackend.ENDPOINT.toString());
            Management.setProperty(management, "surepost.forwarding.max.delivery.attempts", "1000");
            // The first message to reach the backend is the poison one (known before any delivery: no race with the 202)
            java.util.concurrent.atomic.AtomicReference<String> first = backend.failTheFirstMessage(Answer.status(500));
            String[] poison = {Surepost.accept()};
            eventually().until(() -> poison[0].equals(first.get()));
            List<String> others = Surepost.acceptConcurrently(20, 4);

            eventually().until(() -> others.stream().allMatch(id -> backend.calls(id).size() == 1));
            assertTrue(backend.calls(poison[0]).stream().allMatch(call -> call.status() == 500), "the poison message is still failing");
            // Take it out of the way for the next test class
            Management.setProperty(management, "surepost.forwarding.max.delivery.drop", "Enabled");
            Management.setProperty(management, "surepost.forwarding.max.delivery.attempts", "1");
            eventually().until(() -> Surepost.serverLinesOf(poison[0]).stream().anyMatch(line -> line.contains("dead-letter store")));
        }
    }
}
