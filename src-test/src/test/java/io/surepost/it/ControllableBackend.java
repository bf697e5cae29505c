package io.surepost.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A backend the tests control: for each request, a function of the message id chooses the
 * answer (200, a status, a SOAP fault in a 200). Every call is recorded with its arrival
 * time, so tests can count attempts and measure their spacing. It runs in the test JVM on
 * 127.0.0.1:9100; tests point Surepost at it with {@code surepost.forwarding.target.endpoint}.
 */
public final class ControllableBackend implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    public static final URI ENDPOINT = URI.create("http://127.0.0.1:9100/backend");

    /** One answer; {@code stallMillis} &gt; 0: send the headers and a first piece of the body, then nothing for that long. */
    public record Answer(int status, String body, long stallMillis) {
        public Answer(int status, String body) {
            this(status, body, 0);
        }

        public static final Answer OK = new Answer(200, "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Body><ok/></soapenv:Body></soapenv:Envelope>");
        public static final Answer FAULT_IN_200 = new Answer(200, "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>no</faultstring></soapenv:Fault>"
                + "</soapenv:Body></soapenv:Envelope>");

        public static Answer status(int status) {
            return new Answer(status, "");
        }

        /** 200 with its headers and the start of a body, then a stall of {@code millis}. */
        public static Answer headersThenStall(long millis) {
            return new Answer(200, OK.body(), millis);
        }
    }

    /** A recorded call. */
    public record Call(String messageId, long nanoTime, int status) {
    }

    private volatile HttpServer server;
    private volatile ExecutorService executor;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<String, Answer> answers = id -> Answer.OK;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    /** A backend that answers from now on (close it, e.g. with try-with-resources). */
    public ControllableBackend() {
        start();
    }

    private ControllableBackend(boolean started) {
        if (started) {
            start();
        }
    }

    /**
     * The backend of a whole test class, as a JUnit extension:
     * {@code @RegisterExtension static final ControllableBackend backend = ControllableBackend.forTheTestClass();}.
     * It opens before the class's first test, answers 200 again at the start of each test, and
     * closes after the last one.
     */
    public static ControllableBackend forTheTestClass() {
        return new ControllableBackend(false);
    }

    private void start() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", ENDPOINT.getPort()), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open " + ENDPOINT, e);
        }
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext(ENDPOINT.getPath(), this::handle);
        server.start();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        answer(id -> Answer.OK);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** From now on, answer each message id with this function. */
    public void answer(Function<String, Answer> answers) {
        this.answers = answers;
    }

    /**
     * From now on, answer {@code failure} to the first message asked about (and to its retries)
     * and 200 to every other. The returned reference holds that message's id once it is known:
     * before any delivery of it, so a test need not race its 202 to learn which one it is.
     */
    public AtomicReference<String> failTheFirstMessage(Answer failure) {
        AtomicReference<String> first = new AtomicReference<>();
        answer(id -> {
            first.compareAndSet(null, id);
            return id.equals(first.get()) ? failure : Answer.OK;
        });
        return first;
    }

    /** The ids of the calls answered 200, in the order they came. */
    public List<String> deliveredInOrder() {
        return calls.stream().filter(call -> call.status() == 200).map(Call::messageId).toList();
    }

    public List<Call> calls(String messageId) {
        return calls.stream().filter(call -> call.messageId().equals(messageId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String id = String.valueOf(exchange.getRequestHeaders().getFirst(Surepost.MESSAGE_ID_HEADER));
            Answer answer = answers.apply(id);
            calls.add(new Call(id, System.nanoTime(), answer.status()));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (answer.stallMillis() > 0) {
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                stall(answer.stallMillis());
                out.write(body, body.length / 2, body.length - body.length / 2);
            } else if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Holds the answer back (a stalled backend), until the time is up or the backend closes. */
    private void stall(long millis) {
        try {
            closed.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
