package io.surepost.forwarding;

import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends an accepted message to the backend over HTTP, exactly as it was accepted: same
 * envelope bytes, same content type, plus the SOAPAction and the Surepost message id.
 * One client (and its connection pool) serves every delivery of the server.
 * <p>
 * Plain-http backends get a lean HTTP/1.1 client: kept-alive connections from a pool (the
 * most recently used first, checked for a close by the backend before each reuse, dropped
 * after {@link #IDLE_LIMIT_NANOS} idle), the request in one write, quick ACKs while the answer
 * comes ({@link BackendConnection}). https backends go through the JDK's {@link HttpClient}.
 * <p>
 * Every exchange has one deadline for all of it: connecting, the response headers and the
 * body. A backend that sends its headers and then stalls is cut off at the deadline like one
 * that never answers. At most {@code maxResponseBytes} of a response are read (enough to
 * tell a SOAP fault); the rest is not. Whatever goes wrong comes back as a failed
 * {@link DeliveryResult}, never as an exception, so the forwarding policy decides about it.
 * A request that failed is never sent again here: that is the policy's decision too.
 */
@ApplicationScoped
public class BackendClient {

    /**
     * How long an idle connection is kept: below the shortest keep-alive timeouts servers
     * commonly use (Node.js 5 s), so the backend rarely closes one just as a request goes out.
     */
    static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(4);

    /** Idle connections kept per backend address; more than the busiest forwarding needs at once. */
    static final int MAX_IDLE_PER_BACKEND = 64;

    private final HttpClient http;
    private final int maxResponseBytes;
    private final ConcurrentMap<String, BlockingDeque<BackendConnection>> idle = new ConcurrentHashMap<>();

    /** The server's one client: reads at most {@link ForwardingSettings#MAX_RESPONSE_BYTES} of a response. */
    public BackendClient() {
        this(ForwardingSettings.MAX_RESPONSE_BYTES);
    }

    public BackendClient(int maxResponseBytes) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.maxResponseBytes = maxResponseBytes;
    }

    /** One delivery attempt, finished (or given up) within {@code deadline}. */
    public DeliveryResult deliver(SoapMessage message, URI endpoint, String soapAction, Duration deadline) {
        if ("http".equalsIgnoreCase(endpoint.getScheme())) {
            return deliverPlain(message, endpoint, soapAction, deadline);
        }
        return deliverWithJdkClient(message, endpoint, soapAction, deadline);
    }

    /** Closes the idle connections (the server stops). */
    @PreDestroy
    public void close() {
        idle.values().forEach(connections -> {
            for (BackendConnection c = connections.pollFirst(); c != null; c = connections.pollFirst()) {
                c.close();
            }
        });
    }

    private DeliveryResult deliverPlain(SoapMessage message, URI endpoint, String soapAction, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer request;
        try {
            request = ByteBuffer.wrap(request(message, endpoint, soapAction));
        } catch (IllegalArgumentException e) {
            return DeliveryResult.unreachable("the request to the backend cannot be built: " + e.getMessage());
        }
        int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        String backend = endpoint.getHost() + ":" + port;
        BlockingDeque<BackendConnection> pool = idle.computeIfAbsent(backend, b -> new LinkedBlockingDeque<>(MAX_IDLE_PER_BACKEND));
        BackendConnection connection = null;
        try {
            connection = idleConnection(pool);
            if (connection == null) {
                InetSocketAddress address = new InetSocketAddress(endpoint.getHost(), port);
                if (address.isUnresolved()) {
                    return DeliveryResult.unreachable("backend host " + endpoint.getHost() + " cannot be resolved");
                }
                connection = BackendConnection.open(address, deadline);
            }
            BackendConnection.Response response = connection.exchange(request, maxResponseBytes, deadline);
            if (connection.reusable()) {
                connection.idleSince(System.nanoTime());
                if (pool.offerFirst(connection)) {
                    connection = null;
                }
            }
            return DeliveryResult.ofResponse(response.status(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (BackendConnection.DeadlineException e) {
            return DeliveryResult.unreachable(e.answering()
                    ? "backend did not finish its answer within " + timeout.toMillis() + " ms (http.timeout)"
                    : "backend did not answer within " + timeout.toMillis() + " ms (http.timeout)");
        } catch (ConnectException e) {
            return DeliveryResult.unreachable("backend refused the connection at " + endpoint);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.unreachable("delivery interrupted");
        } catch (EOFException e) {
            return DeliveryResult.unreachable(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return DeliveryResult.unreachable("backend connection failed: " + Failures.rootMessage(e));
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /**
     * The most recently used idle connection the backend has not closed, or null. Drops the
     * connections past their time in every pool (an endpoint no longer in use included).
     */
    private BackendConnection idleConnection(BlockingDeque<BackendConnection> pool) {
        long now = System.nanoTime();
        for (BlockingDeque<BackendConnection> connections : idle.values()) {
            for (BackendConnection c = connections.peekLast(); c != null && now - c.idleSince() > IDLE_LIMIT_NANOS;
                    c = connections.peekLast()) {
                if (connections.removeLastOccurrence(c)) {
                    c.close(); // the oldest ones, which the backend may be closing
                }
            }
        }
        for (BackendConnection c = pool.pollFirst(); c != null; c = pool.pollFirst()) {
            if (now - c.idleSince() <= IDLE_LIMIT_NANOS && c.stillOpen()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** How many idle connections to the endpoint's backend wait in the pool with the backend still at the other end (for tests). */
    int openIdleConnections(URI endpoint) {
        BlockingDeque<BackendConnection> pool = idle.get(endpoint.getHost() + ":" + (endpoint.getPort() < 0 ? 80 : endpoint.getPort()));
        return pool == null ? 0 : (int) pool.stream().filter(BackendConnection::stillOpen).count();
    }

    /** The whole HTTP/1.1 request: head and body in one buffer, so it goes out in one write. */
    static byte[] request(SoapMessage message, URI endpoint, String soapAction) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        if (endpoint.getRawQuery() != null) {
            path += "?" + endpoint.getRawQuery();
        }
        String host = endpoint.getPort() < 0 || endpoint.getPort() == 80 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        byte[] envelope = message.envelope();
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Content-Type: " + headerValue("Content-Type", message.contentType()) + "\r\n"
                + "SOAPAction: \"" + headerValue("SOAPAction", soapAction) + "\"\r\n"
                + Headers.HTTP_MESSAGE_ID + ": " + headerValue(Headers.HTTP_MESSAGE_ID, message.id()) + "\r\n"
                + "User-Agent: Surepost\r\n"
                + "Content-Length: " + envelope.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = Arrays.copyOf(headBytes, headBytes.length + envelope.length);
        System.arraycopy(envelope, 0, whole, headBytes.length, envelope.length);
        return whole;
    }

    /** A header value as HTTP allows it (visible ASCII, spaces and tabs), else an exception that names the header. */
    private static String headerValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new IllegalArgumentException("the " + name + " header holds a character HTTP does not allow (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        return value;
    }

    private DeliveryResult deliverWithJdkClient(SoapMessage message, URI endpoint, String soapAction, Duration deadline) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(endpoint)
                    .timeout(deadline)
                    .header("Content-Type", message.contentType())
                    .header("SOAPAction", "\"" + soapAction + "\"")
                    .header(Headers.HTTP_MESSAGE_ID, message.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.envelope()))
                    .build();
        } catch (RuntimeException e) {
            return DeliveryResult.unreachable("the request to the backend cannot be built: " + Failures.rootText(e));
        }
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request, info -> new CappedBody(maxResponseBytes));
        } catch (RuntimeException e) {
            return DeliveryResult.unreachable("the request to the backend cannot be sent: " + Failures.rootText(e));
        }
        try {
            HttpResponse<byte[]> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return DeliveryResult.ofResponse(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            exchange.cancel(true); // closes the connection: the exchange is over for both sides
            return DeliveryResult.unreachable("backend did not finish its answer within " + deadline.toMillis() + " ms (http.timeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return DeliveryResult.unreachable("backend did not answer within " + deadline.toMillis() + " ms (http.timeout)");
            }
            if (cause instanceof ConnectException) {
                return DeliveryResult.unreachable("backend refused the connection at " + endpoint);
            }
            return DeliveryResult.unreachable("backend connection failed: " + Failures.rootMessage(cause));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return DeliveryResult.unreachable("delivery interrupted");
        }
    }

    /** Keeps the first {@code max} bytes of a response body and stops reading there. */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), max - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (buffer.hasRemaining()) {
                    subscription.cancel(); // the rest is not read
                    body.complete(bytes.toByteArray());
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
