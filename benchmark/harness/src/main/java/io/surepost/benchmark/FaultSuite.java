package io.surepost.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Surepost's fault suite, Jepsen-style: under load, inject one fault at a time (kill -9 of
 * the broker, a broker frozen for longer than every timeout, a WildFly crash, a backend that
 * is down, fails or stalls, slow and hostile clients), heal it, let everything settle, and
 * count: every message carries a unique marker, so what was acknowledged (202) is compared
 * with what reached the backend exactly. A scenario passes when nothing acknowledged was
 * lost, nothing arrived that was never sent, every duplicate was in flight at the fault, no
 * client waited longer than the documented bound and the failover table is empty at the end.
 * <p>
 * {@code ./surepost faults [--smoke] [--out FILE] [SCENARIO...]}; it runs its own broker,
 * WildFly and counting backend under its own state directory and writes FAULTS.md. Exit code
 * 0: every scenario passed; 3: the report lists failures; 1: the suite could not run.
 */
public final class FaultSuite {

    private static final int BACKEND_PORT = 9300;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** The longest a client may wait for its answer during a fault (docs/guarantees.md). */
    static final Duration WAIT_BOUND = Duration.ofSeconds(10);

    /** One fault: inject it, keep it up while the load runs, heal it. */
    private interface Fault {
        void inject(FaultSuite suite) throws Exception;
    }

    private record Scenario(String name, String what, boolean smoke, Installation.Database database, Fault fault) {
        Scenario(String name, String what, boolean smoke, Fault fault) {
            this(name, what, smoke, Installation.Database.H2, fault);
        }
    }

    /** The scenario that needs the broker's data on a filesystem of its own (to fill it). */
    private static final String DISK_FULL = "broker-disk-full";

    /** One request of the load. */
    private record Request(String marker, int status, String id, long startNanos, long endNanos) {
        boolean accepted() {
            return status == 202;
        }
    }

    /** What one scenario came to. */
    private record Outcome(Scenario scenario, int sent, long duringFault, int acknowledged, Map<String, Long> refused, int delivered, List<String> lost,
                           List<String> unexpected, int duplicates, int duplicatesOutsideFault, Duration longestWait,
                           long failoverLeft, String deadLetters, List<String> problems, Duration took) {
        boolean passed() {
            return lost.isEmpty() && unexpected.isEmpty() && duplicatesOutsideFault == 0 && longestWait.compareTo(WAIT_BOUND) <= 0
                    && failoverLeft == 0 && problems.isEmpty();
        }
    }

    private final Installation installation;
    private final CountingBackend backend;
    private final boolean smoke;
    private final int messages;
    private final int clients;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger markers = new AtomicInteger();
    private volatile long faultStart;
    private volatile long faultEnd;
    /** Requests per second the load offers, spread over the clients. */
    private final int rate;
    /** The fewest requests a fault must meet for its scenario to count. */
    private static final int MIN_DURING_FAULT = 20;
    /** The requests of the scenario under way; a fault may add its own (large envelopes). */
    private volatile ConcurrentLinkedQueue<Request> current;
    private final List<String> faultProblems = new ArrayList<>();

    private FaultSuite(Installation installation, CountingBackend backend, boolean smoke) {
        this.installation = installation;
        this.backend = backend;
        this.smoke = smoke;
        this.messages = smoke ? 400 : 5000;
        this.clients = smoke ? 8 : 32;
        this.rate = smoke ? 100 : 500;
    }

    private static List<Scenario> scenarios(boolean smoke) {
        Duration pause = Duration.ofSeconds(smoke ? 8 : 20);
        Duration backendDown = Duration.ofSeconds(smoke ? 5 : 30);
        Duration repliesLost = Duration.ofSeconds(5);
        Duration diskFull = Duration.ofSeconds(smoke ? 10 : 20);
        Duration storesDown = Duration.ofSeconds(smoke ? 5 : 15);
        return List.of(
                new Scenario("broker-kill", "the broker killed (kill -9) under load, started again 5 s later", true, suite -> {
                    suite.installation.killBroker();
                    suite.hold(Duration.ofSeconds(5));
                    suite.installation.startBroker();
                }),
                new Scenario("broker-pause", "the broker frozen (SIGSTOP) for " + pause.toSeconds() + " s, longer than every timeout",
                        true, suite -> suite.holdBetween(suite.installation::pauseBroker, pause, suite.installation::resumeBroker)),
                new Scenario("broker-replies-lost", "the broker's replies dropped on loopback (iptables) for " + repliesLost.toSeconds()
                        + " s while it keeps receiving and storing", true,
                        suite -> suite.holdBetween(suite.installation::muteBroker, repliesLost, suite.installation::unmuteBroker)),
                new Scenario(DISK_FULL, "the broker's data disk filled past max-disk-usage for " + diskFull.toSeconds()
                        + " s (it withholds producer credits), then freed", true,
                        suite -> suite.holdBetween(suite.installation::fillBrokerDisk, diskFull, suite.installation::freeBrokerDisk)),
                new Scenario("wildfly-kill", "WildFly killed (kill -9) under load, started again", true, suite -> {
                    suite.installation.killServer();
                    suite.installation.startServer();
                }),
                new Scenario("broker-and-wildfly-kill", "broker and WildFly killed together, both started again", false, suite -> {
                    suite.installation.killServer();
                    suite.installation.killBroker();
                    suite.installation.startBroker();
                    suite.installation.startServer();
                }),
                new Scenario("backend-down", "the backend down for " + backendDown.toSeconds() + " s", true, suite -> {
                    suite.backend.stop();
                    suite.hold(backendDown);
                    suite.backend.start();
                }),
                new Scenario("backend-500", "the backend answering HTTP 500 to every third call", false, suite -> {
                    suite.backend.mode(CountingBackend.Mode.FAIL_EVERY_THIRD);
                    suite.hold(Duration.ofSeconds(smoke ? 5 : 20));
                    suite.backend.mode(CountingBackend.Mode.OK);
                }),
                new Scenario("backend-stall", "the backend sending its headers and then nothing, for 15 s", false, suite -> {
                    suite.backend.mode(CountingBackend.Mode.STALL_AFTER_HEADERS);
                    suite.hold(Duration.ofSeconds(15));
                    suite.backend.mode(CountingBackend.Mode.OK);
                }),
                new Scenario("large-envelopes-drain", "the broker killed, " + (smoke ? 30 : 200) + " envelopes of 1 MiB sent"
                        + " meanwhile (into the failover table), the broker started: the drain moves them back within WildFly's heap",
                        false, suite -> {
                    suite.installation.killBroker();
                    suite.sendLarge(smoke ? 30 : 200);
                    suite.installation.startBroker();
                }),
                new Scenario("stores-down", "on PostgreSQL: the broker killed, then PostgreSQL stopped at once (both stores down: 503s) for "
                        + storesDown.toSeconds() + " s, PostgreSQL started (crash recovery), then the broker", true,
                        Installation.Database.POSTGRESQL, suite -> {
                    suite.installation.killBroker();
                    suite.hold(Duration.ofSeconds(2));
                    suite.installation.killPostgres();
                    suite.hold(storesDown);
                    suite.installation.startPostgres();
                    suite.hold(Duration.ofSeconds(2));
                    suite.installation.startBroker();
                }),
                new Scenario("slow-clients", "200 clients sending headers and a few bytes of a 100 KB body, then nothing, for 15 s",
                        true, FaultSuite::slowClients),
                new Scenario("hostile-xml", "entity expansion, external entities, deep nesting, 200,000 attributes, truncated,"
                        + " binary and 64 MiB bodies, bad header values, round after round for " + (smoke ? 5 : 15) + " s: each refused with a 4xx within seconds", true,
                        FaultSuite::hostileInput));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("surepost.root", ".")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("surepost.state", root.resolve("target/faults").toString())).toAbsolutePath();
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        boolean smoke = arguments.remove("--smoke");
        Path out = root.resolve("FAULTS.md");
        int outIndex = arguments.indexOf("--out");
        if (outIndex >= 0) {
            if (outIndex + 1 >= arguments.size()) {
                fail("--out needs a file");
            }
            out = Path.of(arguments.get(outIndex + 1)).toAbsolutePath();
            arguments.subList(outIndex, outIndex + 2).clear();
        }
        List<Scenario> all = scenarios(smoke);
        List<Scenario> chosen = new ArrayList<>();
        for (String name : arguments) {
            chosen.add(all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "unknown scenario " + name + "; scenarios: " + all.stream().map(Scenario::name).collect(Collectors.joining(" ")))));
        }
        if (chosen.isEmpty()) {
            chosen = smoke ? all.stream().filter(Scenario::smoke).toList() : all;
        }
        try (CountingBackend backend = new CountingBackend(BACKEND_PORT)) {
            String serverOptions = String.join(" ", System.getenv().getOrDefault("SUREPOST_SERVER_OPTS", ""),
                    "-Dsurepost.forwarding.target.endpoint=" + backend.url(),
                    "-Dsurepost.forwarding.member.count=4",
                    "-Dsurepost.forwarding.http.timeout=2000",
                    "-Dsurepost.forwarding.client.retry.interval=500",
                    "-Dsurepost.forwarding.max.delivery.attempts=100000",
                    "-Dsurepost.failover.client.retry.interval=1000",
                    "-Dsurepost.proxy.log.level=simple");
            FaultSuite suite = new FaultSuite(new Installation(root, state, serverOptions), backend, smoke);
            System.exit(suite.run(chosen, out, state));
        }
    }

    private static void fail(String message) {
        System.err.println("surepost faults: " + message);
        System.exit(2);
    }

    private int run(List<Scenario> scenarios, Path out, Path state) throws Exception {
        long started = System.nanoTime();
        progress("state directory " + state + " (wiped); report: " + out);
        installation.stopLeftovers();
        Installation.deleteTree(state);
        // The H2 scenarios first, then those on PostgreSQL: one server restart between them
        scenarios = scenarios.stream().sorted(java.util.Comparator.comparing(Scenario::database)).toList();
        if (scenarios.stream().anyMatch(s -> s.name().equals(DISK_FULL))) {
            installation.brokerDisk("2G");
            progress("the broker's data goes on a 2 GB filesystem of its own (loop-mounted image), for " + DISK_FULL);
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            progress("starting broker and WildFly with surepost.ear; the counting backend runs in this JVM on port " + BACKEND_PORT);
            installation.start();
            for (Scenario scenario : scenarios) {
                if (scenario.database() != installation.database()) {
                    switchTo(scenario.database());
                }
                progress("scenario " + scenario.name() + ": " + scenario.what());
                Outcome outcome = run(scenario);
                outcomes.add(outcome);
                progress(String.format("scenario %s: %s (sent %d, %d during the fault, acknowledged %d, delivered %d, lost %d, unexpected %d,"
                                + " duplicates %d, longest wait %d ms)%s", scenario.name(), outcome.passed() ? "PASSED" : "FAILED",
                        outcome.sent(), outcome.duringFault(), outcome.acknowledged(), outcome.delivered(), outcome.lost().size(), outcome.unexpected().size(),
                        outcome.duplicates(), outcome.longestWait().toMillis(),
                        outcome.problems().isEmpty() ? "" : "; " + String.join("; ", outcome.problems())));
            }
        } catch (Exception e) {
            problems.add("the suite stopped early: " + e);
            progress("FAILED: " + e);
        } finally {
            progress("stopping the system");
            try {
                installation.stop();
            } catch (Exception e) {
                problems.add("could not stop the system: " + e);
            }
        }
        Files.writeString(out, report(outcomes, problems, Duration.ofNanos(System.nanoTime() - started)));
        progress("wrote " + out);
        boolean passed = problems.isEmpty() && !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::passed);
        progress(passed ? "every scenario passed" : "FAILED: see " + out);
        return passed ? 0 : 3;
    }

    /** Restarts WildFly with its failover and dead-letter stores on the other database (PostgreSQL: the suite's own cluster). */
    private void switchTo(Installation.Database database) throws IOException, InterruptedException {
        progress("restarting WildFly with the failover store on " + database.name().toLowerCase(java.util.Locale.ROOT));
        if (database == Installation.Database.POSTGRESQL) {
            installation.startPostgres();
        }
        installation.stopServer();
        installation.useDatabase(database);
        installation.startServer();
    }

    private Outcome run(Scenario scenario) throws Exception {
        long began = System.nanoTime();
        backend.reset();
        backend.mode(CountingBackend.Mode.OK);
        faultProblems.clear();
        ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
        current = requests;
        // The load runs at a steady rate from before the fault until well after it is healed: at least `messages`
        // in all, and a fifth of them after the heal, so every fault is met by traffic from start to end
        java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        long loadStart = System.nanoTime();
        long slot = TimeUnit.SECONDS.toNanos(1) / rate;
        ExecutorService load = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            load.submit(() -> {
                while (!stop.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(loadStart + tickets.getAndIncrement() * slot - System.nanoTime());
                    Request request = send();
                    requests.add(request);
                    if (request.status() == 0) {
                        pauseAfterNoAnswer(); // as a real client backs off from a server that is not there
                    }
                }
            });
        }
        load.shutdown();
        await("a fifth of the load answered", Duration.ofMinutes(2), () -> requests.size() >= messages / 5);
        faultStart = System.nanoTime();
        try {
            scenario.fault().inject(this);
        } finally {
            faultEnd = System.nanoTime();
            int beforeHeal = requests.size();
            boolean tail = await("the load after the fault", Duration.ofMinutes(5),
                    () -> requests.size() >= Math.max(messages, beforeHeal + messages / 5));
            stop.set(true);
            if (!tail) {
                faultProblems.add("the load did not go on after the fault within 5 minutes");
            }
        }
        if (!load.awaitTermination(2, TimeUnit.MINUTES)) {
            load.shutdownNow();
            faultProblems.add("the load did not stop within 2 minutes");
        }
        List<Request> all = new ArrayList<>(requests);
        long duringFault = all.stream().filter(r -> r.startNanos() >= faultStart && r.startNanos() <= faultEnd).count();
        if (duringFault < MIN_DURING_FAULT) {
            faultProblems.add("only " + duringFault + " requests were sent while the fault was on (the load must span the fault)");
        }
        Set<String> acknowledged = all.stream().filter(Request::accepted).map(Request::marker).collect(Collectors.toSet());
        boolean settled = await("every acknowledged message delivered and the failover table empty", Duration.ofMinutes(smoke ? 3 : 10),
                () -> backend.deliveries().keySet().containsAll(acknowledged) && installation.failoverRows() == 0);
        if (!settled) {
            faultProblems.add("not settled: messages still on their way after the deadline");
        }
        Map<String, Integer> deliveries = backend.deliveries();
        Set<String> sent = all.stream().map(Request::marker).collect(Collectors.toSet());
        List<String> lost = acknowledged.stream().filter(marker -> !deliveries.containsKey(marker)).sorted().toList();
        List<String> unexpected = deliveries.keySet().stream().filter(marker -> !sent.contains(marker)).sorted().toList();
        Map<String, Request> byMarker = all.stream().collect(Collectors.toMap(Request::marker, r -> r, (a, b) -> a));
        int duplicates = 0;
        int outside = 0;
        for (Map.Entry<String, Integer> delivered : deliveries.entrySet()) {
            if (delivered.getValue() > 1) {
                duplicates += delivered.getValue() - 1;
                Request request = byMarker.get(delivered.getKey());
                // In flight at the fault: sent before the fault was healed, so it may have been in a store, on its way
                // to the backend or in an exchange with it when the fault hit. A message sent after that has no excuse.
                boolean inFlight = request != null && request.startNanos() <= faultEnd;
                if (!inFlight) {
                    outside += delivered.getValue() - 1;
                }
            }
        }
        Map<String, Long> refused = all.stream().filter(r -> !r.accepted())
                .collect(Collectors.groupingBy(r -> r.status() == 0 ? "no answer" : "HTTP " + r.status(), TreeMap::new, Collectors.counting()));
        Duration longest = Duration.ofNanos(all.stream().mapToLong(r -> r.endNanos() - r.startNanos()).max().orElse(0));
        Map<String, String> status = installation.status();
        return new Outcome(scenario, all.size(), duringFault, acknowledged.size(), refused,
                (int) deliveries.keySet().stream().filter(sent::contains).count(), lost, unexpected, duplicates, outside, longest,
                installation.failoverRows(), status.getOrDefault("dead-letter", "unknown"), List.copyOf(faultProblems),
                Duration.ofNanos(System.nanoTime() - began));
    }

    /** One message with its own marker; a request that got no answer has status 0. */
    private Request send() {
        return send("");
    }

    /** Envelopes of about 1 MiB (just under Proxy1's limit), counted like the load's own messages. */
    private void sendLarge(int count) throws InterruptedException {
        String padding = "<pad xmlns=\"urn:surepost:faults\">" + "x".repeat(1_000_000) + "</pad>";
        ExecutorService senders = Executors.newFixedThreadPool(4);
        AtomicInteger left = new AtomicInteger(count);
        for (int i = 0; i < 4; i++) {
            senders.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    current.add(send(padding));
                }
            });
        }
        senders.shutdown();
        if (!senders.awaitTermination(10, TimeUnit.MINUTES)) {
            senders.shutdownNow();
            faultProblems.add("the large envelopes were not all sent within 10 minutes");
        }
    }

    private Request send(String padding) {
        String marker = String.format("F-%07d", markers.incrementAndGet());
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ser=\"http://services.samples\""
                + " xmlns:xsd=\"http://services.samples/xsd\"><soapenv:Header><marker xmlns=\"urn:surepost:faults\">" + marker
                + "</marker>" + padding + "</soapenv:Header><soapenv:Body><ser:getQuote><ser:request><xsd:symbol>IBM</xsd:symbol></ser:request>"
                + "</ser:getQuote></soapenv:Body></soapenv:Envelope>";
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(post(envelope.getBytes(StandardCharsets.UTF_8), "text/xml; charset=UTF-8"),
                    HttpResponse.BodyHandlers.discarding());
            return new Request(marker, response.statusCode(), response.headers().firstValue("X-Surepost-Message-Id").orElse(""),
                    start, System.nanoTime());
        } catch (IOException e) {
            return new Request(marker, 0, "", start, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Request(marker, 0, "", start, System.nanoTime());
        }
    }

    private HttpRequest post(byte[] body, String contentType) {
        return HttpRequest.newBuilder(Installation.PROXY1).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).header("SOAPAction", "\"urn:getQuote\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static void pauseAfterNoAnswer() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps a fault up for this long while the load goes on (the fault's duration, not a wait for anything). */
    private void hold(Duration duration) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Injects a fault, keeps it up for this long and heals it, also when the wait is cut short. */
    private void holdBetween(Step inject, Duration duration, Step heal) throws Exception {
        inject.run();
        try {
            hold(duration);
        } finally {
            heal.run();
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls a condition every 200 ms until it holds or the deadline passes. */
    private static boolean await(String what, Duration deadline, Check check) throws Exception {
        long until = System.nanoTime() + deadline.toNanos();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.holds()) {
            if (System.nanoTime() > until) {
                progress("gave up waiting for " + what + " after " + deadline.toSeconds() + " s");
                return false;
            }
            if (System.nanoTime() > nextReport) {
                progress("still waiting for " + what);
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return true;
    }

    /** 200 half-open requests during the load: the load's own requests must keep their bound. */
    private static void slowClients(FaultSuite suite) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket(Installation.PROXY1.getHost(), Installation.PROXY1.getPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + Installation.PROXY1.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
                        + "Content-Length: 100000\r\n\r\n<soapenv:Envelope").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sockets.add(socket);
            }
            suite.hold(Duration.ofSeconds(15));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Hostile requests during the load: each must get a 4xx within a few seconds, and nothing of them is stored. */
    private static void hostileInput(FaultSuite suite) throws Exception {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        String envelopeStart = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>";
        String envelopeEnd = "</soapenv:Body></soapenv:Envelope>";
        bodies.put("entity expansion", ("<?xml version=\"1.0\"?><!DOCTYPE b [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>" + envelopeStart + "<x>&c;</x>" + envelopeEnd).getBytes(StandardCharsets.UTF_8));
        bodies.put("external entity", ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + envelopeStart
                + "<x>&e;</x>" + envelopeEnd).getBytes(StandardCharsets.UTF_8));
        bodies.put("200,000-deep nesting", (envelopeStart + "<a>".repeat(200_000) + "</a>".repeat(200_000) + envelopeEnd)
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder attributes = new StringBuilder(envelopeStart).append("<x");
        for (int i = 0; i < 200_000; i++) {
            attributes.append(" a").append(i).append("=\"1\"");
        }
        bodies.put("200,000 attributes", attributes.append("/>").append(envelopeEnd).toString().getBytes(StandardCharsets.UTF_8));
        bodies.put("truncated body", (envelopeStart + "<x>").getBytes(StandardCharsets.UTF_8));
        byte[] binary = new byte[4096];
        new java.util.Random(42).nextBytes(binary);
        bodies.put("binary body", binary);
        bodies.put("64 MiB body", new byte[64 * 1024 * 1024]);
        // Header values that could not be forwarded to the backend or stored (poison): refused at accept
        byte[] good = (envelopeStart + "<x/>" + envelopeEnd).getBytes(StandardCharsets.UTF_8);
        Map<String, String[]> headers = new LinkedHashMap<>();
        headers.put("a Content-Type with a control character", new String[] {"text/xml; x=\u0001", ""});
        headers.put("a Content-Type of 300 characters", new String[] {"text/xml; x=" + "y".repeat(290), ""});
        headers.put("a SOAPAction of 1,200 characters", new String[] {"text/xml", "urn:" + "a".repeat(1200)});
        headers.put("a SOAPAction with a control character", new String[] {"text/xml", "urn:get\u0002Quote"});
        // Round after round for a while, so the good traffic meets them throughout
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(suite.smoke ? 5 : 15);
        do {
            for (Map.Entry<String, byte[]> hostile : bodies.entrySet()) {
                suite.expectRefusal(hostile.getKey(), hostile.getValue(), "text/xml", "");
            }
            for (Map.Entry<String, String[]> hostile : headers.entrySet()) {
                suite.expectRefusal(hostile.getKey(), good, hostile.getValue()[0], hostile.getValue()[1]);
            }
        } while (System.nanoTime() < until);
    }

    private void expectRefusal(String what, byte[] body, String contentType, String soapAction) {
        long start = System.nanoTime();
        int status;
        try (Socket socket = new Socket(Installation.PROXY1.getHost(), Installation.PROXY1.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + Installation.PROXY1.getPath() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                    + contentType + (soapAction.isEmpty() ? "" : "\r\nSOAPAction: " + soapAction) + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may refuse before the body is through (64 MiB): its answer tells
            }
            String answer = new String(socket.getInputStream().readNBytes(64), StandardCharsets.ISO_8859_1);
            status = answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            status = 0;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (status < 400 || status > 499 || took.compareTo(Duration.ofSeconds(5)) > 0) {
            faultProblems.add(what + ": HTTP " + status + " after " + took.toMillis() + " ms (expected a 4xx within 5 s)");
        }
    }

    private String report(List<Outcome> outcomes, List<String> problems, Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("# Surepost fault suite\n\n");
        md.append("Written by `./surepost faults").append(smoke ? " --smoke" : "").append("` on ")
                .append(LocalDateTime.now().withNano(0)).append(" (").append(Runtime.getRuntime().availableProcessors())
                .append(" cores), in ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart()).append(" s.\n\n");
        md.append("Each scenario: ").append(clients).append(" clients offer ").append(rate)
                .append(" messages per second, each with a unique marker; the fault is injected once ").append(messages / 5)
                .append(" are answered, held, healed, and the load goes on until at least ").append(messages)
                .append(" are answered and ").append(messages / 5).append(" of them after the heal;")
                .append(" then the suite waits until every acknowledged message has reached the counting backend. Passes when")
                .append(" lost = 0, unexpected = 0, every duplicate was in flight at the fault, no client waited longer than ")
                .append(WAIT_BOUND.toSeconds()).append(" s, the failover table is empty at the end, and at least ").append(MIN_DURING_FAULT)
                .append(" requests were sent while the fault was on.\n\n");
        md.append("| scenario | result | sent | sent during the fault | acknowledged (202) | refused | delivered | lost | unexpected | duplicates (outside the fault)"
                + " | longest wait | failover rows left | dead letters |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome o : outcomes) {
            md.append("| ").append(o.scenario().name()).append(" | ").append(o.passed() ? "passed" : "**FAILED**").append(" | ")
                    .append(o.sent()).append(" | ").append(o.duringFault()).append(" | ").append(o.acknowledged()).append(" | ")
                    .append(o.refused().isEmpty() ? "0" : o.refused().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                            .collect(Collectors.joining(", "))).append(" | ")
                    .append(o.delivered()).append(" | ").append(o.lost().size()).append(" | ").append(o.unexpected().size()).append(" | ")
                    .append(o.duplicates()).append(" (").append(o.duplicatesOutsideFault()).append(") | ")
                    .append(o.longestWait().toMillis()).append(" ms | ").append(o.failoverLeft()).append(" | ").append(o.deadLetters())
                    .append(" |\n");
        }
        md.append("\n## Scenarios\n\n");
        for (Outcome o : outcomes) {
            md.append("* **").append(o.scenario().name()).append("**: ").append(o.scenario().what()).append(" (")
                    .append(o.took().toSeconds()).append(" s).");
            if (!o.lost().isEmpty()) {
                md.append(" Lost: ").append(o.lost().stream().limit(20).collect(Collectors.joining(", "))).append('.');
            }
            if (!o.unexpected().isEmpty()) {
                md.append(" Unexpected: ").append(o.unexpected().stream().limit(20).collect(Collectors.joining(", "))).append('.');
            }
            for (String problem : o.problems()) {
                md.append(" Problem: ").append(problem).append('.');
            }
            md.append('\n');
        }
        if (!problems.isEmpty()) {
            md.append("\n## Problems\n\n");
            problems.forEach(problem -> md.append("* ").append(problem).append('\n'));
        }
        return md.toString();
    }

    private static void progress(String message) {
        System.out.println(LocalDateTime.now().format(TIME) + " faults: " + message);
        System.out.flush();
    }
}
