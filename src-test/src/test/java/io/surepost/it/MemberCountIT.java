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
    }

    @Test
    void onePoisonMessageDoesNotHoldUpTheOthers() {
        try (ControllableBackend backend = new ControllableBackend()) {
            Management.setProperty(management, "surepost.forwarding.target.endpoint", ControllableBackend.ENDPOINT.toString());
            Management.setProperty(management, "surepost.forwarding.max.delivery.attempts", "1000");
            String[] poison = new String[1];
            backend.answer(id -> id.equals(poison[0]) ? Answer.status(500) : Answer.OK);

            poison[0] = Surepost.accept();
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
