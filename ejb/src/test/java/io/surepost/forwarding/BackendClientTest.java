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
    private final BackendClient client = new BackendClient(Duration.ofSeconds(2), Duration.ofSeconds(2));

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
        server.start();
    }

    @AfterEach
    void stopBackend() {
        server.stop(0);
    }

    @Test
    void deliversTheEnvelopeVerbatimWithIdAndSoapAction() {
        SoapMessage message = SoapMessage.accept("<e>é</e>".getBytes(StandardCharsets.UTF_8), "text/xml; charset=UTF-8", "x");

        DeliveryResult result = client.deliver(message, endpoint("/ok"), "urn:getQuote");

        assertTrue(result.delivered(), result::reason);
        assertEquals("<e>é</e>", receivedBody.get());
        assertEquals(message.id(), receivedId.get());
        assertEquals("\"urn:getQuote\"", receivedAction.get());
    }

    @Test
    void errorStatusIsAFailure() {
        DeliveryResult result = client.deliver(SoapMessage.accept(new byte[] {'x'}, "text/xml", ""), endpoint("/error"), "a");

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
                URI.create("http://127.0.0.1:" + closedPort + "/x"), "a");

        assertFalse(result.delivered());
        assertTrue(result.reason().contains("refused"), result.reason());
    }

    private URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
