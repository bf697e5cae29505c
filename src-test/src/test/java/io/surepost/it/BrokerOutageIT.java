package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No 202 without durability: with producer-side guaranteed delivery switched off
 * ({@code store.producer.guaranteed.delivery.enable=false}, no failover store) a killed
 * broker means a 503 fault that says nothing was stored; once the broker is back, messages
 * flow again.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(BrokerOutageIT.NoGuaranteedDelivery.class)
class BrokerOutageIT {

    /** Switches the failover store off for this class through the management model. */
    static class NoGuaranteedDelivery extends SystemPropertySetup {
        NoGuaranteedDelivery() {
            super("surepost.store.producer.guaranteed.delivery.enable", "false");
        }
    }

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "start");
    }

    @Test
    void messageIsRefusedWith503WhileTheBrokerIsKilled() {
        Surepost.control("broker", "kill");

        HttpResponse<String> response = Surepost.postSeedEnvelope();

        assertEquals(503, response.statusCode(), response::body);
        assertTrue(response.body().contains("The message was not stored: the message broker is unavailable"), response::body);
        assertTrue(response.body().contains("guaranteed delivery is disabled"), response::body);
        assertTrue(response.body().contains("The server log has the details under message "), response::body);
        assertFalse(response.body().contains("AMQ") || response.body().contains("Exception") || response.body().contains("SQL"),
                () -> "no internal text reaches the client: " + response.body());
        assertTrue(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).isEmpty(), "no id: nothing was accepted");
    }

    @Test
    void messagesAreAcceptedAndDeliveredAgainAfterTheBrokerRestarts() {
        Surepost.control("broker", "kill");
        assertEquals(503, Surepost.postSeedEnvelope().statusCode());

        Surepost.control("broker", "start");

        String id = Surepost.eventually().until(() -> {
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            return response.statusCode() == 202 ? response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow() : null;
        }, java.util.Objects::nonNull);
        Surepost.eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
    }
}
