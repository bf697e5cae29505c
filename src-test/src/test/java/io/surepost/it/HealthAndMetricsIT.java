package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.Surepost.Login;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Surepost's health checks (MicroProfile Health on the management port) and its metrics
 * (Micrometer's Prometheus registry), as a probe and a scraper see them.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdminUsers.class)
class HealthAndMetricsIT {

    private static final URI READY = URI.create("http://localhost:9990/health/ready");
    private static final URI LIVE = URI.create("http://localhost:9990/health/live");
    private static final URI PROMETHEUS = URI.create("http://localhost:9990/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void restore() {
        Management.removeProperty(management, "surepost.health.failover.max.rows");
        Surepost.api("POST", "/processors/ForwardingProcessor/activate", Login.ADMIN, null);
        Management.ensureForwardingActive(management);
    }

    @Test
    void livenessSaysTheApplicationAnswers() {
        Answer live = get(LIVE);

        assertEquals(200, live.status(), live.body());
        assertEquals("UP", checks(live).get("surepost"));
    }

    @Test
    void readinessGoesDownWhenTheBrokerIsKilledAndTheFailoverTablePassesItsThresholdAndUpAgainAfter() {
        Management.setProperty(management, "surepost.health.failover.max.rows", "3");
        eventually().until(() -> get(READY).status() == 200);
        assertEquals(Map.of("surepost-broker", "UP", "surepost-failover-store", "UP", "surepost-forwarding", "UP"), surepostChecks(get(READY)));

        Surepost.control("broker", "kill");
        try {
            for (int i = 0; i < 4; i++) {
                Surepost.accept();
            }
            Answer down = get(READY);
            assertEquals(503, down.status(), down.body());
            assertEquals("DOWN", checks(down).get("surepost-broker"), down.body());
            assertEquals("DOWN", checks(down).get("surepost-failover-store"), down.body());
            assertTrue(down.body().contains("more than surepost.health.failover.max.rows=3"), down.body());
        } finally {
            Surepost.control("broker", "start");
        }

        eventually().atMost(Duration.ofSeconds(90)).until(() -> get(READY).status() == 200);
        assertEquals("UP", checks(get(READY)).get("surepost-failover-store"));
    }

    @Test
    void aDeactivatedProcessorMakesTheNodeNotReadyUntilItIsActivated() {
        Surepost.api("POST", "/processors/ForwardingProcessor/deactivate", Login.ADMIN, null);

        eventually().until(() -> "DOWN".equals(checks(get(READY)).get("surepost-forwarding")));
        assertEquals(503, get(READY).status());

        Surepost.api("POST", "/processors/ForwardingProcessor/activate", Login.ADMIN, null);
        eventually().until(() -> "UP".equals(checks(get(READY)).get("surepost-forwarding")));
    }

    @Test
    void prometheusAndTheConsolesCountersShowTheTotalsMovingUnderSends() {
        double accepted = metric("surepost_messages_accepted_total{", "store=\"original\"");
        double delivered = metric("surepost_messages_delivered_total{", "processor=\"ForwardingProcessor\"");
        long acceptedOnTheConsole = counter("accepted");

        for (int i = 0; i < 3; i++) {
            Surepost.accept();
        }

        eventually().until(() -> metric("surepost_messages_accepted_total{", "store=\"original\"") == accepted + 3);
        eventually().until(() -> metric("surepost_messages_delivered_total{", "processor=\"ForwardingProcessor\"") >= delivered + 3);
        eventually().until(() -> counter("accepted") == acceptedOnTheConsole + 3);
        String scrape = get(PROMETHEUS).body();
        for (String name : new String[] {"surepost_accept_seconds_count", "surepost_delivery_seconds_count", "surepost_store_depth{",
                "surepost_store_oldest_age_seconds{"}) {
            assertTrue(scrape.contains(name), name);
        }
    }

    private record Answer(int status, String body) {
    }

    private static Answer get(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Each check's status, by name. */
    private static Map<String, String> checks(Answer answer) {
        JsonObject health = Json.createReader(new StringReader(answer.body())).readObject();
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status"), (a, b) -> a));
    }

    private static Map<String, String> surepostChecks(Answer answer) {
        return checks(answer).entrySet().stream().filter(e -> e.getKey().startsWith("surepost-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** A total of {@code GET /surepost/api/counters}, the console chart's source. */
    private static long counter(String name) {
        return Surepost.api(Login.VIEWER, "/counters").object().getJsonNumber(name).longValue();
    }

    /** The value of the first sample whose line starts with {@code name} and holds {@code label}; 0 when there is none yet. */
    private static double metric(String name, String label) {
        return get(PROMETHEUS).body().lines().filter(line -> line.startsWith(name) && line.contains(label)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(0.0);
    }
}
