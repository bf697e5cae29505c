package io.surepost.it;

import static io.surepost.it.Surepost.api;
import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import io.surepost.it.Surepost.ApiAnswer;
import io.surepost.it.Surepost.Login;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dead-letter store through the admin API: listed newest first, paged and filtered;
 * shown with headers, envelope and attempts; retried (once, whatever the clicks) and deleted.
 * The dead letters come from a backend the test controls, with one delivery attempt allowed.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdminUsers.class)
class DeadLettersIT {

    private static final String P = "surepost.forwarding.";
    private static final List<String> PROPERTIES = List.of("target.endpoint", "max.delivery.attempts", "max.delivery.drop");

    @RegisterExtension
    static final ControllableBackend backend = ControllableBackend.forTheTestClass();

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void oneAttemptThenTheDeadLetterStore() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        deleteEveryDeadLetter();
        Management.setProperty(management, P + "target.endpoint", ControllableBackend.ENDPOINT.toString());
        Management.setProperty(management, P + "max.delivery.attempts", "1");
        Management.setProperty(management, P + "max.delivery.drop", "Enabled");
    }

    @AfterEach
    void restoreTheDefaults() {
        PROPERTIES.forEach(name -> Management.removeProperty(management, P + name));
        deleteEveryDeadLetter();
    }

    @Test
    void deadLettersAreListedNewestFirstInPages() {
        List<String> ids = deadLetters(3, 500);

        ApiAnswer first = api(Login.VIEWER, "/dead-letters?size=2");
        ApiAnswer second = api(Login.VIEWER, "/dead-letters?size=2&page=2");

        assertEquals(200, first.status(), first::body);
        assertEquals(3, first.object().getInt("total"));
        assertEquals(List.of(ids.get(2), ids.get(1)), messageIds(first.items()));
        assertEquals(List.of(ids.get(0)), messageIds(second.items()));
    }

    @Test
    void theFilterSelectsByStatusReasonAndTime() {
        String refused = deadLetters(1, 500).get(0);
        String unavailable = deadLetters(1, 503).get(0);

        assertEquals(List.of(unavailable), messageIds(api(Login.VIEWER, "/dead-letters?status=503").items()));
        assertEquals(List.of(refused), messageIds(api(Login.VIEWER, "/dead-letters?status=500&reason=500").items()));
        assertEquals(List.of(), messageIds(api(Login.VIEWER, "/dead-letters?since=" + Instant.now().plusSeconds(3600)).items()));
        assertEquals(2, api(Login.VIEWER, "/dead-letters?until=" + Instant.now().plusSeconds(3600)).object().getInt("total"));
    }

    @Test
    void aDeadLetterShowsItsHeadersEnvelopeAttemptsAndReason() {
        String id = deadLetters(1, 500).get(0);

        JsonObject shown = api(Login.VIEWER, "/dead-letters/" + idOf(id)).object();

        assertEquals(id, shown.getString("messageId"));
        assertEquals(1, shown.getInt("attempts"));
        assertEquals(500, shown.getInt("lastStatus"));
        assertEquals("\"urn:getQuote\"", shown.getString("soapAction"));
        assertTrue(shown.getString("contentType").startsWith("text/xml"));
        assertTrue(shown.getString("envelope").contains("<xsd:symbol>IBM</xsd:symbol>"), shown::toString);
        assertTrue(shown.getString("reason").contains("500"), shown::toString);
        assertTrue(Instant.parse(shown.getString("deadLetteredAt")).isAfter(Instant.parse(shown.getString("receivedAt")).minusMillis(1)));
    }

    @Test
    void aRetryDeliversTheMessageWithItsIdAndAFreshAttemptCountAndRemovesTheDeadLetter() {
        String id = deadLetters(1, 500).get(0);
        long deadLetter = idOf(id);
        backend.answer(any -> Answer.OK);

        ApiAnswer retried = api("POST", "/dead-letters/" + deadLetter + "/retry", Login.ADMIN, null);

        assertEquals(200, retried.status(), retried::body);
        // max.delivery.attempts is 1: the retry's attempt is a first attempt again
        eventually().until(() -> backend.calls(id).stream().anyMatch(call -> call.status() == 200));
        assertEquals(404, api(Login.VIEWER, "/dead-letters/" + deadLetter).status());
    }

    @Test
    void aDoubleRetryOfTheSameDeadLetterDeliversItOnce() {
        String id = deadLetters(1, 500).get(0);
        long deadLetter = idOf(id);
        backend.answer(any -> Answer.OK);

        List<CompletableFuture<ApiAnswer>> clicks = Stream.of(1, 2)
                .map(click -> CompletableFuture.supplyAsync(() -> api("POST", "/dead-letters/" + deadLetter + "/retry", Login.ADMIN, null)))
                .toList();
        List<Integer> statuses = clicks.stream().map(CompletableFuture::join).map(ApiAnswer::status).sorted().toList();

        assertEquals(List.of(200, 404), statuses, "one retry, and one that found it retried already");
        eventually().until(() -> backend.calls(id).stream().anyMatch(call -> call.status() == 200));
        // One consumer, first in first out: once a later message is through, a second copy would have been too
        String later = Surepost.accept();
        eventually().until(() -> !backend.calls(later).isEmpty());
        assertEquals(2, backend.calls(id).size(), "the first attempt (500) and the retry's, nothing more");
    }

    @Test
    void aSelectionAndThenEveryDeadLetterMatchingAFilterAreRetried() {
        List<String> ids = deadLetters(3, 500);
        backend.answer(any -> Answer.OK);

        ApiAnswer selection = api("POST", "/dead-letters/retry", Login.ADMIN, "{\"ids\": [" + idOf(ids.get(0)) + "]}");
        assertEquals(200, selection.status(), selection::body);
        assertEquals(1, selection.object().getJsonArray("done").size());
        eventually().until(() -> backend.calls(ids.get(0)).size() == 2);

        ApiAnswer all = api("POST", "/dead-letters/retry?status=500", Login.ADMIN, null);
        assertEquals(200, all.status(), all::body);
        assertEquals(2, all.object().getJsonArray("done").size());
        eventually().until(() -> ids.stream().allMatch(id -> backend.calls(id).stream().anyMatch(call -> call.status() == 200)));
        assertEquals(0, api(Login.VIEWER, "/dead-letters").object().getInt("total"));
    }

    @Test
    void aDeletedDeadLetterIsGoneAndNeverDelivered() {
        String id = deadLetters(1, 500).get(0);
        long deadLetter = idOf(id);

        assertEquals(200, api("DELETE", "/dead-letters/" + deadLetter, Login.ADMIN, null).status());

        assertEquals(404, api(Login.VIEWER, "/dead-letters/" + deadLetter).status());
        assertEquals(404, api("DELETE", "/dead-letters/" + deadLetter, Login.ADMIN, null).status());
        assertEquals(404, api("POST", "/dead-letters/" + deadLetter + "/retry", Login.ADMIN, null).status());
        assertEquals(1, backend.calls(id).size(), "only its first attempt");
    }

    @Test
    void aViewerCanNeitherRetryNorDeleteADeadLetter() {
        String id = deadLetters(1, 500).get(0);
        long deadLetter = idOf(id);

        assertEquals(403, api("POST", "/dead-letters/" + deadLetter + "/retry", Login.VIEWER, null).status());
        assertEquals(403, api("DELETE", "/dead-letters/" + deadLetter, Login.VIEWER, null).status());
        assertEquals(403, api("POST", "/dead-letters/retry", Login.VIEWER, null).status());
        assertEquals(200, api(Login.VIEWER, "/dead-letters/" + deadLetter).status(), "still there");
    }

    /** Sends {@code count} messages the backend answers with {@code status}; returns their ids, once all are dead letters. */
    private static List<String> deadLetters(int count, int status) {
        backend.answer(any -> Answer.status(status));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = Surepost.accept();
            ids.add(id);
            eventually().until(() -> api(Login.VIEWER, "/dead-letters?size=200").items().stream()
                    .anyMatch(d -> d.getString("messageId").equals(id)));
        }
        return ids;
    }

    private static long idOf(String messageId) {
        return api(Login.VIEWER, "/dead-letters?size=200").items().stream().filter(d -> d.getString("messageId").equals(messageId))
                .findFirst().orElseThrow().getJsonNumber("id").longValue();
    }

    private static List<String> messageIds(List<JsonObject> items) {
        return items.stream().map(d -> d.getString("messageId")).toList();
    }

    private static void deleteEveryDeadLetter() {
        for (JsonObject d : api(Login.ADMIN, "/dead-letters?size=200").items()) {
            api("DELETE", "/dead-letters/" + d.getJsonNumber("id").longValue(), Login.ADMIN, null);
        }
        eventually().until(() -> api(Login.VIEWER, "/dead-letters").object().getInt("total") == 0);
    }
}
