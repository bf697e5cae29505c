package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both stores down: the broker killed and the failover database refusing connections. The
 * client is told, with a 503 fault, that nothing was stored, and nothing was. Runs on
 * PostgreSQL, whose outage is real (an embedded H2 file database cannot go down on its own).
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseOutageIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void everythingRunsAgain() {
        PostgreSql.allowConnections();
        Surepost.control("broker", "start");
    }

    @Test
    void brokerAndDatabaseDownGetA503AndNothingIsStored() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Surepost.control("broker", "kill");
        PostgreSql.refuseConnections();

        HttpResponse<String> response = Surepost.postSeedEnvelope();

        assertEquals(503, response.statusCode(), response::body);
        assertTrue(response.body().contains("the message broker is unavailable"), response::body);
        assertTrue(response.body().contains("and so is the failover store"), response::body);
        assertTrue(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).isEmpty(), "no id: nothing accepted");
        PostgreSql.allowConnections();
        assertEquals(0, PostgreSql.failoverRows(), "nothing half-stored");
    }

    @Test
    void whenTheDatabaseIsBackTheNextMessageIsAccepted() {
        eventually().until(() -> Surepost.failoverRows() == 0);
        Surepost.control("broker", "kill");
        PostgreSql.refuseConnections();
        assertEquals(503, Surepost.postSeedEnvelope().statusCode());

        PostgreSql.allowConnections();

        String id = eventually().until(() -> {
            HttpResponse<String> response = Surepost.postSeedEnvelope();
            return response.statusCode() == 202 ? response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow() : null;
        }, java.util.Objects::nonNull);
        assertEquals(1, PostgreSql.failoverRows(), "it waits in the failover table");
        Surepost.control("broker", "start");
        eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
    }
}
