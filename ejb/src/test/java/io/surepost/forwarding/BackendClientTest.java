package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.surepost.message.SoapMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backend client against a real local HTTP server. */
class BackendClientTest {

    private final AtomicReference<String> receivedBody = new AtomicReference<>();
    private final AtomicReference<String> receivedId = new AtomicReference<>();
    private final AtomicReference<String> receivedAction = new AtomicReference<>();
    private HttpServer server;
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private final BackendClient client = new BackendClient(64 * 1024);

    @BeforeEach
    void startBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            receivedBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            receivedId.set(exchange.getRequestHeaders().getFirst("X-Surepost-Message-Id"));
            receivedAction.set(exchange.getRequestHeaders().getFirst("SOAPAction"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/error", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/headers-then-stall", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write("<soapenv:Envelope".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            stalled.countDown();
            awaitRelease();
            exchange.close();
        });
        server.createContext("/huge", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked, no end in sight
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 1024 && !release.await(0, java.util.concurrent.TimeUnit.MILLISECONDS); i++) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (IOException | InterruptedException e) {
                // the client stopped reading: what the test wants
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    private void awaitRelease() {
        try {
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stopBackend() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void aBackendThatSendsItsHeadersAndThenStallsIsCutOffAtTheDeadline() {
        long start = System.nanoTime();
        DeliveryResult result = client.deliver(SoapMessage.accept(new byte[] {'x'}, "text/xml", ""), endpoint("/headers-then-stall"),
                "a", Duration.ofMillis(500));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(0, stalled.getCount(), "the backend had sent its headers");
        assertFalse(result.delivered());
        assertTrue(result.reason().contains("did not finish its answer within 500 ms"), result.reason());
        assertTrue(took.compareTo(DEADLINE) < 0, () -> "answered after " + took.toMillis() + " ms, deadline 500 ms");
    }

    @Test
    void onlyTheFirstBytesOfAnEndlessResponseAreRead() {
        DeliveryResult result = client.deliver(SoapMessage.accept(new byte[] {'x'}, "text/xml", ""), endpoint("/huge"), "a", DEADLINE);

        assertTrue(result.delivered(), result::reason);
        assertEquals(200, result.statusCode());
    }

    @Test
    void aHeaderValueTheHttpClientRefusesIsAFailedAttemptNotAnException() {
        SoapMessage message = SoapMessage.accept(new byte[] {'x'}, "text/xml; x=\u0001", "");

        DeliveryResult result = client.deliver(message, endpoint("/ok"), "a", DEADLINE);

        assertFalse(result.delivered());
        assertTrue(result.reason().startsWith("the request to the backend cannot be built"), result.reason());
    }

    @Test
    void deliversTheEnvelopeVerbatimWithIdAndSoapAction() {
        SoapMessage message = SoapMessage.accept("<e>é</e>".getBytes(StandardCharsets.UTF_8), "text/xml; charset=UTF-8", "x");

        DeliveryResult result = client.deliver(message, endpoint("/ok"), "urn:getQuote", DEADLINE);

        assertTrue(result.delivered(), result::reason);
        assertEquals("<e>é</e>", receivedBody.get());
        assertEquals(message.id(), receivedId.get());
        assertEquals("\"urn:getQuote\"", receivedAction.get());
    }

    @Test
    void errorStatusIsAFailure() {
        DeliveryResult result = client.deliver(SoapMessage.accept(new byte[] {'x'}, "text/xml", ""), endpoint("/error"), "a", DEADLINE);

        assertFalse(result.delivered());
        assertEquals(503, result.statusCode());
    }

    @Test
    void refusedConnectionIsAFailureThatSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        DeliveryResult result = client.deliver(SoapMessage.accept(new byte[] {'x'}, "text/xml", ""),
                URI.create("http://127.0.0.1:" + closedPort + "/x"), "a", DEADLINE);

        assertFalse(result.delivered());
        assertTrue(result.reason().contains("refused"), result.reason());
    }

    private URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
