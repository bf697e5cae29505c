package io.surepost.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's backend: counts every delivery by the marker the message carries in its
 * envelope, so the suite can tell lost, unexpected and duplicated messages exactly. It can
 * misbehave on request: answer 500 to every third call, or send its headers and then stall.
 * A delivery counts when the backend answered it 200 (what the gateway takes as delivered).
 */
final class CountingBackend implements AutoCloseable {

    static final String PATH = "/counting";
    /** The marker every fault-suite message carries, e.g. {@code <marker>F-00042</marker>}. */
    static final Pattern MARKER = Pattern.compile("<marker[^>]*>([A-Za-z0-9-]+)</marker>");

    /** How the backend answers. */
    enum Mode { OK, FAIL_EVERY_THIRD, STALL_AFTER_HEADERS }

    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private volatile Mode mode = Mode.OK;
    private volatile CountDownLatch released = new CountDownLatch(0);
    private HttpServer server;

    CountingBackend(int port) throws IOException {
        this.port = port;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        start();
    }

    /** Starts answering (again, after {@link #stop()}). */
    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext(PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Stops answering: the port is closed, as if the backend had crashed. */
    synchronized void stop() {
        if (server != null) {
            released.countDown();
            server.stop(0);
            server = null;
        }
    }

    void mode(Mode mode) {
        if (mode == Mode.STALL_AFTER_HEADERS) {
            released = new CountDownLatch(1);
        } else {
            released.countDown();
        }
        this.mode = mode;
    }

    String url() {
        return "http://127.0.0.1:" + port + PATH;
    }

    /** Deliveries per marker so far. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> copy = new java.util.HashMap<>();
        delivered.forEach((marker, count) -> copy.put(marker, count.get()));
        return copy;
    }

    long totalDelivered() {
        return delivered.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    void reset() {
        delivered.clear();
        calls.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String envelope = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            long call = calls.incrementAndGet();
            Mode now = mode;
            if (now == Mode.FAIL_EVERY_THIRD && call % 3 == 0) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (now == Mode.STALL_AFTER_HEADERS) {
                byte[] start = "<soapenv:Envelope".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, start.length + 100);
                OutputStream out = exchange.getResponseBody();
                out.write(start);
                out.flush();
                try {
                    released.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // the answer is never finished: the gateway must give up on it
            }
            Matcher marker = MARKER.matcher(envelope);
            delivered.computeIfAbsent(marker.find() ? marker.group(1) : "(no marker)", m -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        stop();
        threads.shutdownNow();
    }
}
