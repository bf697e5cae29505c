package io.surepost.it;

import static io.surepost.it.Surepost.api;
import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import io.surepost.it.Surepost.ApiAnswer;
import io.surepost.it.Surepost.Login;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code GET /surepost/api/messages/{id}}: one call tells what happened to a message, from
 * its acceptance to its end, against a backend the test controls.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdminUsers.class)
class JourneyIT {

    private static final String P = "surepost.forwarding.";
    private static final List<String> PROPERTIES = List.of("target.endpoint", "client.retry.interval", "max.delivery.attempts",
            "max.delivery.drop");

    @RegisterExtension
    static final ControllableBackend backend = ControllableBackend.forTheTestClass();

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeEach
    void pointSurepostAtTheControllableBackend() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        Management.setProperty(management, P + "target.endpoint", ControllableBackend.ENDPOINT.toString());
        Management.setProperty(management, P + "client.retry.interval", "300");
    }

    @AfterEach
    void restoreTheDefaults() {
        PROPERTIES.forEach(name -> Management.removeProperty(management, P + name));
    }

    @Test
    void theJourneyOfAMessageThatWentThroughTheFailoverTableFailedTwiceAndWasDelivered() {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        backend.answer(id -> calls.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet() <= 2 ? Answer.status(500) : Answer.OK);
        Management.setProperty(management, P + "max.delivery.attempts", "5");
        Surepost.control("broker", "kill");
        String id;
        try {
            id = Surepost.accept();
            eventually().until(() -> Surepost.failoverRows() == 1);
        } finally {
            Surepost.control("broker", "start");
        }
        eventually().until(() -> backend.calls(id).stream().anyMatch(call -> call.status() == 200));

        eventually().until(() -> "delivered".equals(state(id)));
        List<JsonObject> steps = journey(id).getJsonArray("steps").getValuesAs(JsonObject.class);
        assertEquals(List.of("accepted", "stored", "moved from the failover table", "delivery attempt", "retry scheduled",
                "delivery attempt", "retry scheduled", "delivery attempt", "delivered"), steps.stream().map(s -> s.getString("event")).toList());
        assertTrue(steps.get(0).getString("detail").contains("SOAPAction \"urn:getQuote\""), steps.get(0)::toString);
        assertTrue(steps.get(1).getString("detail").contains("failover store"), steps.get(1)::toString);
        assertEquals(List.of(500, 500, 200), steps.stream().filter(s -> s.getString("event").equals("delivery attempt"))
                .map(s -> s.getInt("status")).toList());
        assertTrue(steps.stream().allMatch(s -> !s.getString("node").isEmpty()), "every step names its node");
        assertTrue(steps.stream().filter(s -> s.getString("event").equals("delivery attempt")).allMatch(s -> s.containsKey("durationMillis")));
    }

    @Test
    void theJourneyOfADeadLetterEndsWithItsReasonAndGoesOnAfterARetry() {
        Management.setProperty(management, P + "max.delivery.attempts", "1");
        Management.setProperty(management, P + "max.delivery.drop", "Enabled");
        backend.answer(any -> Answer.status(503));
        String id = Surepost.accept();

        eventually().until(() -> "dead-lettered".equals(state(id)));
        assertTrue(journey(id).getJsonObject("end").getString("detail").contains("503"));

        backend.answer(any -> Answer.OK);
        long deadLetter = api(Login.VIEWER, "/dead-letters?size=200").items().stream().filter(d -> d.getString("messageId").equals(id))
                .findFirst().orElseThrow().getJsonNumber("id").longValue();
        assertEquals(200, api("POST", "/dead-letters/" + deadLetter + "/retry", Login.ADMIN, null).status());

        eventually().until(() -> "delivered".equals(state(id)));
        List<String> events = journey(id).getJsonArray("steps").getValuesAs(JsonObject.class).stream().map(s -> s.getString("event")).toList();
        assertEquals(List.of("accepted", "stored", "delivery attempt", "dead-lettered", "dead letter retried by an operator",
                "delivery attempt", "delivered"), events);
    }

    @Test
    void aMessageSurepostNeverAcceptedHasNoJourney() {
        ApiAnswer answer = api(Login.VIEWER, "/messages/01a23469-0000-7000-8000-000000000000");

        assertEquals(404, answer.status());
        assertTrue(answer.object().getString("message").contains("no journey"), answer::body);
        assertEquals(404, api(Login.VIEWER, "/messages/not%20an%20id").status());
    }

    /** How the message's journey stands, or "none" while it has no journey yet (the writer runs every 250 ms). */
    private static String state(String id) {
        ApiAnswer answer = api(Login.VIEWER, "/messages/" + id);
        return answer.status() == 200 ? answer.object().getJsonObject("end").getString("state") : "none";
    }

    private static JsonObject journey(String id) {
        ApiAnswer answer = api(Login.VIEWER, "/messages/" + id);
        assertEquals(200, answer.status(), answer::body);
        return answer.object();
    }
}
