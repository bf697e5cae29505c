package io.surepost.it;

import static io.surepost.it.Surepost.api;
import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.Surepost.ApiAnswer;
import io.surepost.it.Surepost.Login;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API at /surepost/api: its login (401, 403), the stores, the processors, the
 * failover table, the Original queue, its errors, its description and its audit log. Dead
 * letters have their own test class (DeadLettersIT).
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdminUsers.class)
class AdminApiIT {

    private static final String FORWARDING = "/processors/ForwardingProcessor";

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void startEmpty() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
    }

    @AfterEach
    void leaveTheProcessorActive() {
        api("POST", FORWARDING + "/activate", Login.ADMIN, null);
        Surepost.awaitSharedForwarding(true);
        Management.ensureForwardingActive(management);
    }

    @Test
    void aRequestWithoutCredentialsOrWithAWrongPasswordGets401() {
        assertEquals(401, api("GET", "/stores", null, null).status());
        assertEquals(401, api(new Login(Login.ADMIN.user(), "not-the-password-1!"), "/stores").status());
        assertEquals(401, api("POST", FORWARDING + "/deactivate", null, null).status());
        assertTrue(Surepost.status().get("forwarding-shared").startsWith("active"), "nothing changed");
    }

    @Test
    void theStatusPageNeedsALoginWhileProxy1StaysOpenEvenToAClientThatSendsCredentials() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
        java.net.URI status = java.net.URI.create("http://localhost:8080/services/status");
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(status).timeout(java.time.Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        assertTrue(Surepost.status(status, Login.VIEWER).containsKey("failover"), "a viewer reads it");

        // A client's own Authorization header (for some other system) is not Proxy1's business
        java.net.http.HttpResponse<String> accepted = http.send(java.net.http.HttpRequest.newBuilder(Surepost.PROXY1)
                .timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"urn:getQuote\"").header("Authorization", "Basic bm9ib2R5Om5vdGhpbmc=")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Surepost.SEED_ENVELOPE)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
    }

    @Test
    void aViewerSeesEveryStoreWithItsDepth() {
        ApiAnswer answer = api(Login.VIEWER, "/stores");

        assertEquals(200, answer.status(), answer::body);
        Map<String, JsonObject> stores = answer.array().getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(s -> s.getString("name"), s -> s));
        assertEquals(List.of("Original", "Original.DLQ", "dead-letter", "failover"), stores.keySet().stream().sorted().toList());
        stores.values().forEach(store -> assertTrue(store.containsKey("depth") && !store.containsKey("problem"), store::toString));
        assertEquals(0, stores.get("failover").getJsonNumber("depth").longValue());
    }

    @Test
    void aViewersChangeGets403WithAMessageAndChangesNothing() {
        ApiAnswer answer = api("POST", FORWARDING + "/deactivate", Login.VIEWER, null);

        assertEquals(403, answer.status(), answer::body);
        assertTrue(answer.object().getString("message").contains("surepost-admin"), answer::body);
        assertTrue(Surepost.status().get("forwarding-shared").startsWith("active"), "still active");
        assertEquals(403, api("DELETE", "/original/01a23469-7701-72c9-9200-4dce5174bb37", Login.VIEWER, null).status());
    }

    @Test
    void aDeactivatedProcessorKeepsMessagesInOriginalUntilItIsActivated() {
        ApiAnswer deactivated = api("POST", FORWARDING + "/deactivate", Login.ADMIN, null);
        assertEquals(200, deactivated.status(), deactivated::body);
        assertFalse(deactivated.object().getJsonObject("shared").getBoolean("active"));
        eventually().until(() -> api(Login.VIEWER, FORWARDING).object().getString("state").startsWith("inactive: deactivated by "
                + Login.ADMIN.user()));

        String id = Surepost.accept();

        List<JsonObject> waiting = api(Login.VIEWER, "/original").items();
        assertEquals(List.of(id), waiting.stream().map(m -> m.getString("messageId")).toList());
        assertFalse(Surepost.deliveredIds().contains(id));

        assertEquals(200, api("POST", FORWARDING + "/activate", Login.ADMIN, null).status());
        eventually().until(() -> Surepost.deliveredIds().contains(id));
        assertEquals("active", api(Login.VIEWER, FORWARDING).object().getString("state"));
    }

    @Test
    void aMessageDeletedFromOriginalNeverReachesTheBackend() {
        api("POST", FORWARDING + "/deactivate", Login.ADMIN, null);
        eventually().until(() -> api(Login.VIEWER, FORWARDING).object().getString("state").startsWith("inactive"));
        String deleted = Surepost.accept();
        String kept = Surepost.accept();

        ApiAnswer removed = api("DELETE", "/original/" + deleted, Login.ADMIN, null);
        assertEquals(200, removed.status(), removed::body);
        assertEquals(1, removed.object().getInt("removed"));
        assertEquals(404, api("DELETE", "/original/" + deleted, Login.ADMIN, null).status(), "gone already");

        api("POST", FORWARDING + "/activate", Login.ADMIN, null);
        // One consumer, first in first out: once the later message is delivered, the deleted one would have been
        eventually().until(() -> Surepost.deliveredIds().contains(kept));
        assertFalse(Surepost.deliveredIds().contains(deleted));
    }

    @Test
    void theFailoverTableListsAndShowsEachRowWhileTheBrokerIsDown() {
        Surepost.control("broker", "kill");
        String id;
        try {
            id = Surepost.accept();
            ApiAnswer page = api(Login.VIEWER, "/failover");
            assertEquals(200, page.status(), page::body);
            JsonObject row = page.items().stream().filter(r -> r.getString("messageId").equals(id)).findFirst().orElseThrow();
            ApiAnswer shown = api(Login.VIEWER, "/failover/" + row.getJsonNumber("id").longValue());
            assertEquals(200, shown.status(), shown::body);
            assertTrue(shown.object().getString("envelope").contains("<xsd:symbol>IBM</xsd:symbol>"), shown::body);
            JsonObject original = api(Login.VIEWER, "/stores").array().getValuesAs(JsonObject.class).stream()
                    .filter(s -> s.getString("name").equals("Original")).findFirst().orElseThrow();
            assertTrue(original.getString("problem").startsWith("the broker cannot be read now"), original::toString);
        } finally {
            Surepost.control("broker", "start");
        }
        eventually().until(() -> Surepost.deliveredIds().contains(id));
        assertEquals(0, api(Login.VIEWER, "/failover").object().getInt("total"));
    }

    @Test
    void unknownIdsAre404AndBadParametersAre400WithAMessage() {
        for (String path : List.of("/dead-letters/999999999", "/dead-letters/abc", "/failover/999999999", "/processors/Nope", "/nothing")) {
            ApiAnswer answer = api(Login.VIEWER, path);
            assertEquals(404, answer.status(), path);
            assertFalse(answer.object().getString("message").isBlank(), path);
        }
        for (String path : List.of("/dead-letters?page=0", "/dead-letters?size=1000", "/dead-letters?since=yesterday",
                "/dead-letters?status=abc", "/failover?page=x")) {
            ApiAnswer answer = api(Login.VIEWER, path);
            assertEquals(400, answer.status(), path);
            assertTrue(answer.object().getString("message").startsWith("Query parameter"), answer::body);
        }
        ApiAnswer badBody = api("POST", "/dead-letters/retry", Login.ADMIN, "{\"ids\": [\"one\"]}");
        assertEquals(400, badBody.status(), badBody::body);
    }

    @Test
    void theApiIsDescribedWithOpenApi() {
        ApiAnswer answer = api(Login.VIEWER, "/openapi");

        assertEquals(200, answer.status());
        assertTrue(answer.object().getString("openapi").startsWith("3."));
        assertTrue(answer.object().getJsonObject("paths").keySet().containsAll(List.of("/stores", "/processors/{name}/deactivate",
                "/dead-letters", "/dead-letters/{id}/retry", "/dead-letters/retry", "/failover/{id}", "/original/{messageId}")));
    }

    @Test
    void everyChangeIsWrittenToTheAuditLogWithWhoAndWhat() {
        api("POST", FORWARDING + "/deactivate", Login.ADMIN, null);
        api("POST", FORWARDING + "/activate", Login.ADMIN, null);

        List<String> audit = Surepost.lines(Surepost.jbossHome().resolve("standalone/log/surepost-audit.log"));
        String who = "user=" + Login.ADMIN.user();
        assertTrue(audit.stream().anyMatch(line -> line.contains(who + " action=deactivate ids=[ForwardingProcessor]")), audit::toString);
        assertTrue(audit.stream().anyMatch(line -> line.contains(who + " action=activate ids=[ForwardingProcessor]")), audit::toString);
    }
}
