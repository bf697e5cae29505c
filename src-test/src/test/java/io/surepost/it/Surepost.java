package io.surepost.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/**
 * The one helper of the integration tests: where things are (URLs, logs, the EAR), how to
 * talk to Proxy1, how to drive the broker and the backend (through the same
 * {@code ./surepost} script users run), and how to wait.
 */
public final class Surepost {

    public static final URI PROXY1 = URI.create("http://localhost:8080/services/Proxy1");
    public static final URI WSDL = URI.create(PROXY1 + "?wsdl");
    public static final String MESSAGE_ID_HEADER = "X-Surepost-Message-Id";

    /** The seed's payload, verbatim. */
    public static final String SEED_ENVELOPE = """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
               <soapenv:Header/>
               <soapenv:Body>
                  <ser:getQuote>
                     <ser:request>
                        <xsd:symbol>IBM</xsd:symbol>
                     </ser:request>
                  </ser:getQuote>
               </soapenv:Body>
            </soapenv:Envelope>
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static final Pattern DELIVERED = Pattern.compile("Generating getQuote response for (\\S+) \\[message-id=([0-9a-f-]{36})]");

    private Surepost() {
    }

    // ---------------------------------------------------------------- places

    public static Path root() {
        return Path.of(System.getProperty("surepost.root", "..")).toAbsolutePath().normalize();
    }

    public static Path state() {
        return Path.of(System.getProperty("surepost.state", "target/state")).toAbsolutePath().normalize();
    }

    public static Path jbossHome() {
        return Path.of(System.getProperty("jboss.home")).toAbsolutePath().normalize();
    }

    public static Path serverLog() {
        return jbossHome().resolve("standalone/log/server.log");
    }

    /** The log of the server the control script runs (ServerCrashIT), under the tests' state directory. */
    public static Path scriptServerLog() {
        return state().resolve("wildfly/log/server.log");
    }

    public static Path backendLog() {
        return state().resolve("backend/backend.log");
    }

    /** The real EAR the build produced, as Arquillian deploys it. */
    public static EnterpriseArchive ear() {
        File ear = root().resolve("ear/target/surepost.ear").toFile();
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    // ---------------------------------------------------------------- Proxy1

    public static HttpResponse<String> post(String body, String contentType) {
        return post(PROXY1, body, contentType);
    }

    /** Posts to another Proxy1 (a node of the cluster). */
    public static HttpResponse<String> post(URI proxy1, String body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(proxy1)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("SOAPAction", "\"urn:getQuote\"")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST to " + proxy1 + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Status and body of an answer to {@link #postRaw}. */
    public record RawResponse(int status, String body) {
    }

    /**
     * Posts with exactly these header values over a plain socket: the JDK HTTP client refuses
     * to send some of the values bad-input tests need (control characters).
     */
    public static RawResponse postRaw(String contentType, String soapAction, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + PROXY1.getPath() + " HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n"
                + "Content-Type: " + contentType + "\r\nSOAPAction: " + soapAction + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket(PROXY1.getHost(), PROXY1.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            int bodyStart = answer.indexOf("\r\n\r\n");
            return new RawResponse(status, bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new IllegalStateException("POST to " + PROXY1 + " failed", e);
        }
    }

    /** Posts the seed's envelope (SOAP 1.1). */
    public static HttpResponse<String> postSeedEnvelope() {
        return post(SEED_ENVELOPE, "text/xml; charset=UTF-8");
    }

    /** Posts the seed's envelope, asserts 202, and returns the message id Proxy1 gave it. */
    public static String accept() {
        HttpResponse<String> response = postSeedEnvelope();
        assertEquals(202, response.statusCode(), () -> "Proxy1 did not accept the message: " + response.body());
        return response.headers().firstValue(MESSAGE_ID_HEADER)
                .orElseThrow(() -> new AssertionError("a 202 without " + MESSAGE_ID_HEADER));
    }

    /** Surepost's own state from {@code GET /services/status}: failover, failover-processor, broker-breaker. */
    public static java.util.Map<String, String> status() {
        return status(URI.create("http://localhost:8080/services/status"), Login.STATUS);
    }

    /** The status page at {@code page} as {@code name: value} pairs, read as {@code login} (the page needs a login). */
    public static java.util.Map<String, String> status(URI page, Login login) {
        ApiAnswer answer = call("GET", page, login, null);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET " + page + " as " + login.user() + ": HTTP " + answer.status());
        }
        java.util.Map<String, String> status = new java.util.LinkedHashMap<>();
        for (String line : answer.body().split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 2).strip());
            }
        }
        return status;
    }

    /**
     * Waits until the forwarding processor state that every node follows, and a restart keeps
     * (status {@code forwarding-shared}), is active or inactive.
     */
    public static void awaitSharedForwarding(boolean active) {
        awaitShared("forwarding-shared", active);
    }

    /** Waits until the status line {@code key} (a processor's shared state) says active, or inactive. */
    public static void awaitShared(String key, boolean active) {
        eventually().until(() -> status().getOrDefault(key, "").startsWith(active ? "active" : "inactive"));
    }

    /** start-delivery or stop-delivery through the control script's jboss-cli, for the server the script runs. */
    public static void forwardingByScript(String operation) {
        control("cli", FORWARDING_PROCESSOR + operation);
        awaitSharedForwarding("start-delivery".equals(operation));
    }

    /** Rows waiting in the failover store, as the status page reports them. */
    public static long failoverRows() {
        return Long.parseLong(status().get("failover"));
    }

    /** The failover database of this test run: h2 or postgresql. */
    public static String database() {
        return System.getProperty("surepost.database", "h2");
    }

    /** Sends {@code count} seed envelopes from {@code clients} threads; returns the ids, all 202. */
    public static List<String> acceptConcurrently(int count, int clients) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            List<java.util.concurrent.Future<String>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(pool.submit(Surepost::accept));
            }
            List<String> ids = new ArrayList<>();
            for (java.util.concurrent.Future<String> send : sends) {
                ids.add(send.get());
            }
            return ids;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("a send failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How often each of these ids reached the backend. */
    public static java.util.Map<String, Long> deliveries(java.util.Collection<String> ids) {
        java.util.Set<String> wanted = new java.util.HashSet<>(ids);
        return deliveredIds().stream().filter(wanted::contains)
                .collect(java.util.stream.Collectors.groupingBy(java.util.function.Function.identity(), java.util.stream.Collectors.counting()));
    }

    public static String get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the admin API

    public static final URI ADMIN_API = URI.create("http://localhost:8080/surepost/api");

    /**
     * A user of the application realm. AdminUsers makes ADMIN and VIEWER for a test class;
     * STATUS, a viewer that reads the status page, is made by {@code ./surepost test-fixtures
     * start} for the whole run (and taken out by its stop).
     */
    public record Login(String user, String password) {
        public static final Login ADMIN = new Login("surepost-it-admin", "Admin-pass-1!");
        public static final Login VIEWER = new Login("surepost-it-viewer", "Viewer-pass-1!");
        public static final Login STATUS = new Login("surepost-it-status", "Status-pass-1!");

        /** A login kept as {@code user:password} in a file, as ./surepost keeps its own. */
        public static Login readFrom(Path file) {
            try {
                String line = java.nio.file.Files.readString(file).strip();
                int colon = line.indexOf(':');
                return new Login(line.substring(0, colon), line.substring(colon + 1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** An answer of the admin API: its status and JSON body. */
    public record ApiAnswer(int status, String body) {
        public jakarta.json.JsonObject object() {
            try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
                return reader.readObject();
            }
        }

        public jakarta.json.JsonArray array() {
            try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
                return reader.readArray();
            }
        }

        /** The object's {@code items} (a page). */
        public List<jakarta.json.JsonObject> items() {
            return object().getJsonArray("items").getValuesAs(jakarta.json.JsonObject.class);
        }
    }

    /** GET of an admin API path as {@code login}. */
    public static ApiAnswer api(Login login, String path) {
        return api("GET", path, login, null);
    }

    /** A call of the admin API: {@code login} null sends no credentials; {@code json} null sends no body. */
    public static ApiAnswer api(String method, String path, Login login, String json) {
        return call(method, URI.create(ADMIN_API + path), login, json);
    }

    private static ApiAnswer call(String method, URI uri, Login login, String json) {
        String path = uri.getPath();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (login != null) {
            String token = login.user() + ":" + login.password();
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- logs

    /** The lines of a log, with those of its size-rotated predecessors ({@code server.log.1}, ...) first. */
    public static List<String> lines(Path log) {
        List<String> lines = new ArrayList<>();
        try {
            for (int backup = 10; backup >= 1; backup--) {
                Path rotated = log.resolveSibling(log.getFileName() + "." + backup);
                if (Files.exists(rotated)) {
                    lines.addAll(Files.readAllLines(rotated, StandardCharsets.UTF_8));
                }
            }
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }

    /** Every message id the backend logged a getQuote for, in order, duplicates included. */
    public static List<String> deliveredIds() {
        return deliveredIds(backendLog());
    }

    /** Every message id this backend log shows a getQuote for, in order, duplicates included. */
    public static List<String> deliveredIds(Path backendLog) {
        List<String> ids = new ArrayList<>();
        for (String line : lines(backendLog)) {
            Matcher m = DELIVERED.matcher(line);
            if (m.find()) {
                ids.add(m.group(2));
            }
        }
        return ids;
    }

    /** The backend's log lines that carry this message id. */
    public static List<String> backendLinesOf(String messageId) {
        return lines(backendLog()).stream().filter(line -> line.contains(messageId)).toList();
    }

    /** The server's log lines that carry this message id. */
    public static List<String> serverLinesOf(String messageId) {
        return lines(serverLog()).stream().filter(line -> line.contains(messageId)).toList();
    }

    // ---------------------------------------------------------------- processes

    /** The ForwardingProcessor MDB in WildFly's management model; append an operation, e.g. {@code stop-delivery}. */
    public static final String FORWARDING_PROCESSOR = "/deployment=surepost.ear/subdeployment=surepost-ejb.jar/subsystem=ejb3"
            + "/message-driven-bean=ForwardingProcessor:";

    /**
     * The environment for {@code ./surepost server start} in the tests that drive their own
     * WildFly: the configuration for this run's database and these WildFly options.
     */
    public static java.util.Map<String, String> scriptServer(String options) {
        boolean postgresql = "postgresql".equals(database());
        String database = postgresql ? " -Dsurepost.db.url=" + PostgreSql.url() + " -Dsurepost.db.user=postgres -Dsurepost.db.password=postgres" : "";
        return java.util.Map.of("SUREPOST_SERVER_CONFIG", postgresql ? "standalone-full-postgresql.xml" : "standalone-full.xml",
                "SUREPOST_SERVER_OPTS", options + database);
    }

    /** Runs {@code ./surepost ARGS} against the tests' state directory; fails the test on a non-zero exit. */
    public static String control(String... args) {
        return control(java.util.Map.of(), args);
    }

    /** {@link #control(String...)} with extra environment variables. */
    public static String control(java.util.Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root().resolve("surepost").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SUREPOST_STATE", state().toString());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./surepost " + String.join(" ", args) + " did not finish: " + output);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("./surepost " + String.join(" ", args) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ./surepost", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- waiting

    /** Polls (never sleeps blindly) until a condition holds, for at most a minute. */
    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO);
    }
}
