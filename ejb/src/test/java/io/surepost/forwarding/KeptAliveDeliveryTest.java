package io.surepost.forwarding;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.message.SoapMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-http client's connections against a backend written on raw sockets, the way small
 * servers answer: Nagle on, the response headers and the body in two writes.
 */
class KeptAliveDeliveryTest {

    /** How the test backend frames its answers and treats its connections. */
    private enum Answer { KEEP_ALIVE, CLOSE_AFTER_ANSWER, CLOSE_WITHOUT_SAYING, CHUNKED, TO_THE_END, CONTINUE_FIRST }

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private final BackendClient client = new BackendClient(64 * 1024);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        client.close();
        if (server != null) {
            server.close();
        }
        threads.shutdownNow();
    }

    @Test
    void aKeptAliveBackendServesEveryMessageOnOneConnection() throws IOException {
        URI endpoint = backend(Answer.KEEP_ALIVE);

        for (int i = 0; i < 20; i++) {
            DeliveryResult result = client.deliver(message("<m>" + i + "</m>"), endpoint, "urn:a", DEADLINE);
            assertTrue(result.delivered(), result::reason);
        }

        assertEquals(1, connections.get(), "connections the backend accepted");
        assertEquals(20, bodies.size());
        assertEquals("<m>19</m>", bodies.get(19));
    }

    @Test
    void aBackendThatClosesAfterEachAnswerGetsAFreshConnectionForEachMessage() throws IOException {
        URI endpoint = backend(Answer.CLOSE_AFTER_ANSWER);

        for (int i = 0; i < 3; i++) {
            DeliveryResult result = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);
            assertTrue(result.delivered(), result::reason);
        }

        assertEquals(3, connections.get());
    }

    @Test
    void anIdleConnectionTheBackendClosedIsNotUsedAgain() throws IOException {
        URI endpoint = backend(Answer.CLOSE_WITHOUT_SAYING);
        assertTrue(client.deliver(message("<first/>"), endpoint, "urn:a", DEADLINE).delivered());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.openIdleConnections(endpoint) == 0);

        DeliveryResult second = client.deliver(message("<second/>"), endpoint, "urn:a", DEADLINE);

        assertTrue(second.delivered(), second::reason);
        assertEquals(2, connections.get());
        assertEquals(List.of("<first/>", "<second/>"), bodies);
    }

    @Test
    void aChunkedAnswerIsReadToItsEndAndTheConnectionKept() throws IOException {
        URI endpoint = backend(Answer.CHUNKED);

        DeliveryResult first = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);
        DeliveryResult second = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);

        assertFalse(first.delivered(), "the chunked body is a SOAP fault, read across its chunks");
        assertEquals("backend answered HTTP 200 with a SOAP fault", first.reason());
        assertFalse(second.delivered());
        assertEquals(1, connections.get());
    }

    @Test
    void anAnswerWithoutALengthEndsWithItsConnection() throws IOException {
        URI endpoint = backend(Answer.TO_THE_END);

        DeliveryResult first = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);
        DeliveryResult second = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);

        assertTrue(first.delivered(), first::reason);
        assertTrue(second.delivered(), second::reason);
        assertEquals(2, connections.get());
    }

    @Test
    void aContinueBeforeTheAnswerIsPassedOver() throws IOException {
        URI endpoint = backend(Answer.CONTINUE_FIRST);

        DeliveryResult result = client.deliver(message("<m/>"), endpoint, "urn:a", DEADLINE);

        assertTrue(result.delivered(), result::reason);
        assertEquals(202, result.statusCode());
    }

    @Test
    void theRequestCarriesHostPathQueryAndLength() {
        SoapMessage message = message("<é/>");

        String head = new String(BackendClient.request(message, URI.create("http://example.org:8081/a/b?c=d"), "urn:x"),
                StandardCharsets.ISO_8859_1);

        assertTrue(head.startsWith("POST /a/b?c=d HTTP/1.1\r\nHost: example.org:8081\r\n"), head);
        assertTrue(head.contains("\r\nSOAPAction: \"urn:x\"\r\n"), head);
        assertTrue(head.contains("\r\nX-Surepost-Message-Id: " + message.id() + "\r\n"), head);
        assertTrue(head.contains("\r\nContent-Length: 5\r\n\r\n"), head);
    }

    private static SoapMessage message(String envelope) {
        return SoapMessage.accept(envelope.getBytes(StandardCharsets.UTF_8), "text/xml; charset=UTF-8", "");
    }

    private URI backend(Answer answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return; // the test is over
                }
                connections.incrementAndGet();
                threads.submit(() -> serve(socket, answer));
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/services/SimpleStockQuoteService");
    }

    /** Serves requests on one connection until the client closes it or the answer says otherwise. */
    private void serve(Socket socket, Answer answer) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                int length = -1;
                for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (length < 0) {
                    return; // the client closed the connection
                }
                bodies.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                switch (answer) {
                    case KEEP_ALIVE -> twoWrites(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "<ok/>");
                    case CLOSE_AFTER_ANSWER -> {
                        twoWrites(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\n", "<ok/>");
                        return;
                    }
                    case CLOSE_WITHOUT_SAYING -> {
                        twoWrites(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "<ok/>");
                        return;
                    }
                    case CHUNKED -> twoWrites(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "5\r\n<s:Fa\r\n4;x=y\r\nult>\r\n0\r\nTrailer: t\r\n\r\n");
                    case TO_THE_END -> {
                        twoWrites(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", "<ok/>");
                        return;
                    }
                    case CONTINUE_FIRST -> twoWrites(out, "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
                }
            }
        } catch (IOException e) {
            // the test closed the server
        }
    }

    private static void twoWrites(OutputStream out, String first, String second) throws IOException {
        out.write(first.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        out.write(second.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
