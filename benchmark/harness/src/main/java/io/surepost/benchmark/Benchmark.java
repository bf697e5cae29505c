package io.surepost.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Surepost's benchmark: brings the system up under its own state directory, runs the
 * scenarios of docs/performance.md (ingest, its two ceilings, the journey's cost, failover
 * ingest and its ceiling, drain, forward, backlog memory), each at several concurrencies, and writes
 * BENCHMARKS.md. Every figure stands next to a ceiling measured in the same run.
 * <p>
 * Exit code 0: the report is written and every run behaved (no failed request, nothing
 * lost). 3: the report is written but lists problems. 1: the run could not finish.
 */
public final class Benchmark {

    private static final int NOOP_BACKEND_PORT = 9300;
    private static final int PLAIN_BACKEND_PORT = 9301;
    /** Failover rows are moved back at most this long after the broker returns (seed default: 60 s). */
    static final int FAILOVER_RETRY_MILLIS = 1000;

    /** On, off, off, on, on, off: each state as often first as second, so a drift over the runs favours neither. */
    private static final boolean[] JOURNEY_ORDER = {true, false, false, true, true, false};
    private static final String JOURNEY_ENABLED = "surepost.journey.enabled";
    private static final Duration JOURNEY_CATCH_UP = Duration.ofSeconds(120);

    private final Options options;
    private final Installation installation;
    private final Report report;
    private final Cpu cpu;
    private final byte[] envelope = Envelope.oneKilobyte();
    private final long started = System.nanoTime();
    /** The Camel peer, when the run compares with it (null otherwise). */
    private CamelPeerProcess peer;

    private Benchmark(Options options, String serverOptions) {
        this.options = options;
        this.installation = new Installation(options.root(), options.state(), serverOptions);
        this.report = new Report(options);
        Map<String, Supplier<Long>> pids = new LinkedHashMap<>();
        pids.put("WildFly", () -> installation.pid("server"));
        pids.put("broker", () -> installation.pid("broker"));
        pids.put("Camel peer", () -> peer == null ? null : peer.pid());
        this.cpu = new Cpu(pids);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("surepost.root", ".")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("surepost.state", root.resolve("target/benchmark").toString())).toAbsolutePath();
        Options options;
        try {
            options = Options.parse(root, state, args);
        } catch (IllegalArgumentException e) {
            System.err.println("surepost bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (NoopBackend backend = new NoopBackend(NOOP_BACKEND_PORT)) {
            // The user's own server options (SUREPOST_SERVER_OPTS, e.g. a profiler) come first; ours win
            String serverOptions = String.join(" ", System.getenv().getOrDefault("SUREPOST_SERVER_OPTS", ""),
                    "-Dsurepost.forwarding.is.active=false",
                    "-Dsurepost.forwarding.target.endpoint=" + backend.url(),
                    "-Dsurepost.failover.client.retry.interval=" + FAILOVER_RETRY_MILLIS);
            Benchmark benchmark = new Benchmark(options, serverOptions);
            int code = benchmark.run(backend);
            System.exit(code);
        }
    }

    private int run(NoopBackend backend) throws Exception {
        progress("state directory " + options.state() + " (wiped); report: " + options.out());
        wipe(options.state());
        report.machine(installation);
        try {
            progress("starting broker, backend and WildFly with surepost.ear (forwarding inactive)");
            installation.start();
            if (options.camelPeer()) {
                progress("starting the Camel peer (benchmark/camel-peer) on port " + CamelPeerProcess.PORT + ", its forwarder stopped");
                peer = new CamelPeerProcess(options.root(), options.state().resolve("camel-peer"), backend.url());
                peer.start(4);
            }
            if (options.scenarios().contains("ingest")) {
                ingest();
            }
            if (options.scenarios().contains("journey")) {
                journey();
            }
            if (options.scenarios().contains("forward")) {
                queueBacklogAndForward(backend);
            }
            if (options.scenarios().contains("failover")) {
                failover();
            }
            if (options.scenarios().contains("drain")) {
                drain();
            }
        } catch (Exception e) {
            report.problem("the run stopped early: " + e);
            progress("FAILED: " + e);
            e.printStackTrace();
        } finally {
            progress("stopping the system");
            try {
                if (peer != null) {
                    peer.stop();
                }
                installation.stop();
            } catch (Exception e) {
                report.problem("could not stop the system: " + e);
            }
        }
        report.duration(Duration.ofNanos(System.nanoTime() - started));
        Files.writeString(options.out(), report.markdown());
        progress("wrote " + options.out());
        if (!report.problems().isEmpty()) {
            report.problems().forEach(p -> progress("PROBLEM: " + p));
            return 3;
        }
        return 0;
    }

    /** Scenarios 1 and 2: Proxy1 with the broker up, the empty endpoint and the raw producer, level by level. */
    private void ingest() throws Exception {
        Path war = options.root().resolve("benchmark/endpoint/target/surepost-ceiling.war");
        installation.deploy(war);
        ActiveMQConnectionFactory jms = Jms.factory();
        try {
            // A fresh server runs interpreted code: let the JIT compile Proxy1's and the empty endpoint's paths first
            warmUp("Proxy1 (broker up)", httpClients(Installation.PROXY1));
            warmUp("the empty endpoint", httpClients(Installation.CEILING));
            if (peer != null) {
                warmUp("the Camel peer (broker up)", httpClients(peer.proxy1()));
            }
            for (int clients : options.clients()) {
                Load.Result http = measure("empty HTTP endpoint", clients, httpClients(Installation.CEILING));
                Load.Result raw = measure("raw JMS producer", clients, Jms.producer(jms, Jms.CEILING_QUEUE, envelope, 0));
                Jms.destroyQueue(Jms.CEILING_QUEUE); // the ceiling's messages must not pile up into paging
                long intoFailover = installation.acceptedIntoFailover();
                Load.Result proxy = measure("Proxy1 ingest (broker up)", clients, httpClients(Installation.PROXY1));
                intoFailover = installation.acceptedIntoFailover() - intoFailover;
                if (intoFailover > 0) {
                    // With the broker up every message belongs in Original: a figure that includes failover writes measures the wrong path
                    report.problem("Proxy1 ingest (broker up) at " + clients + " client(s): " + intoFailover
                            + " message(s) went to the failover store (the server log says why)");
                }
                Load.Result camel = peer == null ? null : measure("Camel peer ingest (broker up)", clients, httpClients(peer.proxy1()));
                report.ingest(proxy, raw, http, camel);
            }
        } finally {
            jms.close();
        }
        installation.undeploy("surepost-ceiling.war");
    }

    /**
     * Scenario 7: what recording the journey costs ingest. Proxy1 at 32 clients (or at each
     * level of --clients) with the journey on and off in turn, {@link #JOURNEY_ORDER}, switched
     * live on the same server so that the JIT, the broker's journal and the queue's depth are
     * the same for both. After a run with it on, the next run waits until the writer has
     * stored everything the run recorded, so that no run pays for its neighbour's rows.
     */
    private void journey() throws Exception {
        if (!options.scenarios().contains("ingest")) {
            warmUp("Proxy1 (broker up)", httpClients(Installation.PROXY1));
        }
        try {
            for (int clients : options.journeyClients()) {
                // The JIT is still compiling after the warm-up at 8 clients: without this, the first run (on) is slowed by it
                installation.setProperty(JOURNEY_ENABLED, "true");
                progress("warm-up at " + clients + " client(s), journey on, " + options.jitWarmup().toSeconds() + " s, not measured");
                check("the journey's warm-up", Load.timed(httpClients(Installation.PROXY1), clients, Duration.ZERO, options.jitWarmup(), cpu));
                journeyCaughtUp();
                for (boolean on : JOURNEY_ORDER) {
                    installation.setProperty(JOURNEY_ENABLED, Boolean.toString(on));
                    Load.Result proxy = measure("Proxy1 ingest, journey " + (on ? "on" : "off"), clients, httpClients(Installation.PROXY1));
                    report.journey(on, proxy, on ? journeyCaughtUp() : 0);
                }
            }
        } finally {
            installation.setProperty(JOURNEY_ENABLED, "true");
        }
    }

    /**
     * Sends one message more and waits until its journey is stored: the writer stores the
     * buffer oldest first, so everything recorded before it is stored too. Returns how long
     * that took, in seconds (how far the writer was behind, plus up to one 250 ms tick).
     */
    private double journeyCaughtUp() throws Exception {
        long began = System.nanoTime();
        String id = installation.sendOne(envelope);
        long deadline = began + JOURNEY_CATCH_UP.toNanos();
        while (!installation.journeyWritten(id)) {
            if (System.nanoTime() > deadline) {
                report.problem("the journey writer had not stored message " + id + " " + JOURNEY_CATCH_UP.toSeconds() + " s after its 202");
                break;
            }
            Thread.sleep(50); // polling the API: the writer's own tick is 250 ms
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        progress(String.format("the journey writer had stored everything %.2f s later", seconds));
        return seconds;
    }

    /** Scenarios 6 (queue half) and 5: a deep Original queue, WildFly's memory, then forwarding from it. */
    private void queueBacklogAndForward(NoopBackend backend) throws Exception {
        long waiting = Jms.messageCount("Original");
        report.memory("queue", waiting, installation.serverMemory(), "forwarding inactive");
        ActiveMQConnectionFactory jms = Jms.factory();
        try {
            int batch = 500;
            long target = Math.max(options.queueBacklog(), waiting);
            for (int quarter = 1; quarter <= 4; quarter++) {
                long goal = waiting + (target - waiting) * quarter / 4;
                long batches = (goal - Jms.messageCount("Original")) / batch;
                if (batches <= 0) {
                    continue;
                }
                progress("filling Original to ~" + goal + " messages");
                Load.Result fill = Load.count(Jms.producer(jms, "Original", envelope, batch), 4, batches, cpu);
                report.queueFill(fill, batch);
                long now = Jms.messageCount("Original");
                report.memory("queue", now, installation.serverMemory(), "forwarding inactive");
            }
        } finally {
            jms.close();
        }
        for (int members : options.members()) {
            installation.setProperty("surepost.forwarding.member.count", Integer.toString(members));
            installation.redeploy();
            installation.forwarding(true);
            // warm-up: consumers connect and fill their buffers, the JIT compiles the redeployed classes
            // (and, before the first level, the whole forwarding path)
            boolean first = members == options.members().get(0);
            Thread.sleep(Math.max(options.warmup().toMillis(), first ? options.jitWarmup().toMillis() : options.jitWarmup().toMillis() / 3));
            Window window = measureDeliveries(backend::received);
            long left = Jms.messageCount("Original");
            if (members == options.members().get(options.members().size() - 1)) {
                report.memory("queue", left, installation.serverMemory(), "forwarding at member.count " + members);
            }
            installation.forwarding(false);
            report.forward(members, window.delivered(), window.seconds(), window.shares());
            progress(String.format("forward member.count=%d: %.0f msg/s (%s)", members, window.rate(), window.shares().describe()));
        }
        if (peer != null) {
            forwardWithThePeer(backend);
        }
        forwardToPlainBackend(backend);
    }

    /** Scenario 5 for the Camel peer: its transacted JMS route to the same no-op backend, at each member.count as concurrent consumers. */
    private void forwardWithThePeer(NoopBackend backend) throws Exception {
        for (int consumers : options.members()) {
            peer.stop();
            peer.start(consumers);
            topUpOriginal();
            peer.forwarder(true);
            Thread.sleep(Math.max(options.warmup().toMillis(), options.jitWarmup().toMillis() / 3)); // consumers connect, the JIT compiles
            Window window = measureDeliveries(backend::received);
            peer.forwarder(false);
            report.forwardCamel(consumers, window.delivered(), window.seconds());
            progress(String.format("Camel peer forward, %d consumers: %.0f msg/s (%s)", consumers, window.rate(),
                    window.shares().describe()));
        }
    }

    /** A backend's count of received messages. */
    @FunctionalInterface
    private interface Received {
        long count() throws IOException;
    }

    /** What one measuring window of forwarding delivered, how long it was, and the CPU shares over it. */
    private record Window(long delivered, double seconds, Cpu.Shares shares) {
        double rate() {
            return delivered / seconds;
        }
    }

    /** Counts what the backend receives over one measuring window ({@code --measure}). */
    private Window measureDeliveries(Received received) throws IOException, InterruptedException {
        long before = received.count();
        Cpu.Sample start = cpu.sample();
        Thread.sleep(options.measure().toMillis()); // the measuring window
        long delivered = received.count() - before;
        Cpu.Sample end = cpu.sample();
        return new Window(delivered, (end.nanos() - start.nanos()) / 1e9, cpu.shares(start, end));
    }

    /** Puts messages on Original when fewer wait than a measuring window can take, so no window runs dry. */
    private void topUpOriginal() throws Exception {
        long needed = options.smoke() ? 10_000 : 50_000;
        if (Jms.messageCount("Original") < needed) {
            ActiveMQConnectionFactory jms = Jms.factory();
            try {
                progress("topping Original up with " + needed + " messages");
                Load.count(Jms.producer(jms, "Original", envelope, 500), 1, needed / 500, cpu);
            } finally {
                jms.close();
            }
        }
    }

    /**
     * Scenario 5, second half: forwarding at member.count 1 to an ordinary backend (Python's
     * http.server), against what one client gets from that backend directly, three ways.
     */
    private void forwardToPlainBackend(NoopBackend noop) throws Exception {
        if (!PlainHttpBackend.available()) {
            report.problem("the forward scenario's plain backend needs python3 on the PATH; it was not measured");
            return;
        }
        try (PlainHttpBackend plain = PlainHttpBackend.start(options.state().resolve("plain-backend"), PLAIN_BACKEND_PORT)) {
            List<Load.Result> direct = new ArrayList<>();
            for (HttpPoster.Mode mode : HttpPoster.Mode.values()) {
                direct.add(measure("one client straight to the Python backend, " + mode, 1,
                        index -> new HttpPoster(plain.url(), Envelope.CONTENT_TYPE, Envelope.SOAP_ACTION, envelope, 200, mode)));
            }
            topUpOriginal(); // the no-op levels may have emptied the backlog
            installation.setProperty("surepost.forwarding.member.count", "1");
            installation.setProperty("surepost.forwarding.target.endpoint", plain.url().toString());
            installation.redeploy();
            installation.forwarding(true);
            Thread.sleep(Math.max(options.warmup().toMillis(), options.jitWarmup().toMillis() / 3)); // consumers connect and warm up
            Window window = measureDeliveries(plain::received);
            installation.forwarding(false);
            installation.setProperty("surepost.forwarding.target.endpoint", noop.url());
            report.forwardPlain(direct, window.delivered(), window.seconds(), window.shares());
            progress(String.format("forward to the Python backend, member.count=1: %.0f msg/s", window.rate()));
        }
    }

    /** Scenario 3 and the failover half of 6: the broker killed, Proxy1 against the raw JDBC insert. */
    private void failover() throws Exception {
        progress("kill -9 of the broker; its journal is wiped (the forward backlog is not needed any more)");
        installation.killBroker();
        installation.wipeBrokerData();
        Jdbc jdbc = new Jdbc("jdbc:h2:file:" + installation.serverDataDir().resolve("surepost/benchmark-jdbc-ceiling")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "sa");
        jdbc.createTable();
        report.memory("failover", installation.failoverRows(), installation.serverMemory(), "broker down");
        warmUp("Proxy1 (broker down)", httpClients(Installation.PROXY1));
        warmUp("raw JDBC inserts", jdbc.inserter(envelope));
        if (peer != null) {
            warmUp("the Camel peer (broker down)", httpClients(peer.proxy1()));
        }
        for (int clients : options.clients()) {
            Load.Result raw = measure("raw JDBC insert", clients, jdbc.inserter(envelope));
            Load.Result proxy = measure("Proxy1 ingest (broker down)", clients, httpClients(Installation.PROXY1));
            Load.Result camel = peer == null ? null : measure("Camel peer ingest (broker down)", clients, httpClients(peer.proxy1()));
            report.failover(proxy, raw, camel);
            // The table grows with every level: WildFly's memory as it does
            report.memory("failover", installation.failoverRows(), installation.serverMemory(), "broker down");
        }
        jdbc.dropTable();
        long rows = installation.failoverRows();
        long target = Math.max(options.failoverBacklog(), rows);
        for (int quarter = 1; quarter <= 4; quarter++) {
            long goal = rows + (target - rows) * quarter / 4;
            long missing = goal - installation.failoverRows();
            progress("filling the failover store to " + goal + " rows through Proxy1 (broker down)");
            if (missing > 0) {
                Load.Result fill = Load.count(httpClients(Installation.PROXY1), 32, missing, cpu);
                check("failover fill", fill);
            }
            report.memory("failover", installation.failoverRows(), installation.serverMemory(), "broker down");
        }
        if (peer != null) {
            long missing = target - peer.failoverRows();
            progress("filling the Camel peer's failover table to " + target + " rows through its endpoint (broker down)");
            if (missing > 0) {
                check("the Camel peer's failover fill", Load.count(httpClients(peer.proxy1()), 32, missing, cpu));
            }
            // Stopped until Surepost's drain is over: its own drain starts with it, and the two must not share the broker
            peer.stop();
        }
    }

    /** Scenario 4: the broker returns; the failover processor moves the whole backlog back. */
    private void drain() throws Exception {
        long rows = installation.failoverRows();
        progress("starting the broker (empty journal); draining " + rows + " failover rows");
        installation.startBroker();
        long brokerUp = System.nanoTime();
        Drained drained = watchDrain(rows, brokerUp, installation::failoverRows, "");
        long firstMove = drained.firstMove();
        long done = drained.done();
        long onQueue = Jms.messageCount("Original");
        report.drain(rows, drained.left(), onQueue, (firstMove - brokerUp) / 1e9, (done - firstMove) / 1e9, (done - brokerUp) / 1e9);
        progress(String.format("drain: %d rows in %.1f s after the first move (%.0f msg/s); on the queue: %d",
                rows, (done - firstMove) / 1e9, rows / ((done - firstMove) / 1e9), onQueue));

        if (peer != null) {
            drainThePeer(onQueue);
        }
    }

    /** Scenario 4 for the Camel peer: started again with the broker up, its timer route moves its backlog back to Original. */
    private void drainThePeer(long queuedBefore) throws Exception {
        progress("starting the Camel peer again; its drain moves its failover rows");
        long started = System.nanoTime();
        peer.start(4);
        long rows = peer.failoverRows();
        Drained drained = watchDrain(rows, started, peer::failoverRows, " in the Camel peer's table");
        long done = drained.done();
        long firstMove = drained.firstMove() == 0 ? done : drained.firstMove();
        long onQueue = Jms.messageCount("Original") - queuedBefore;
        report.drainCamel(rows, drained.left(), onQueue, (firstMove - started) / 1e9, (done - firstMove) / 1e9);
        progress(String.format("Camel peer drain: %d rows in %.1f s after the first move; on the queue: %d more", rows,
                (done - firstMove) / 1e9, onQueue));
    }

    /** Rows left in a failover table. */
    private interface RowCount {
        long rows() throws Exception;
    }

    /** How a drain went: rows left, when the first row moved (0: none did) and when it ended ({@link System#nanoTime}). */
    private record Drained(long left, long firstMove, long done) {
    }

    /** Polls a draining table until it is empty (30 minutes at most), with a progress line every 5 s. */
    private Drained watchDrain(long rows, long since, RowCount count, String where) throws Exception {
        long firstMove = 0;
        long left = rows;
        long deadline = since + Duration.ofMinutes(30).toNanos();
        long lastProgress = since;
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100); // a measurement poll: the drain runs on its own
            left = count.rows();
            if (firstMove == 0 && left < rows) {
                firstMove = System.nanoTime();
            }
            if (System.nanoTime() - lastProgress > 5_000_000_000L) {
                lastProgress = System.nanoTime();
                progress("  " + left + " rows left" + where);
            }
        }
        return new Drained(left, firstMove, System.nanoTime());
    }

    /** Unmeasured load: a fresh JVM (and a new code path) runs interpreted until the JIT has compiled it. */
    private void warmUp(String what, Load.Clients clients) throws Exception {
        progress("JIT warm-up: " + what + ", " + options.jitWarmup().toSeconds() + " s at 8 clients, not measured");
        Load.Result warm = Load.timed(clients, 8, Duration.ZERO, options.jitWarmup(), cpu);
        check("the warm-up of " + what, warm);
    }

    private Load.Clients httpClients(java.net.URI url) {
        return index -> new HttpPoster(url, Envelope.CONTENT_TYPE, Envelope.SOAP_ACTION, envelope, 202);
    }

    private Load.Result measure(String what, int clients, Load.Clients factory) throws Exception {
        Load.Result result = Load.timed(factory, clients, options.warmup(), options.measure(), cpu);
        progress(String.format("%s, %d client(s): %.0f msg/s, p50 %.1f ms, p99 %.1f ms (%s)%s", what, clients,
                result.perSecond(), result.percentileMillis(0.50), result.percentileMillis(0.99), result.cpu().describe(),
                result.errors() > 0 ? ", " + result.errors() + " failed: " + result.firstError() : ""));
        check(what + " at " + clients + " client(s)", result);
        return result;
    }

    private void check(String what, Load.Result result) {
        if (result.errors() > 0) {
            report.problem(what + ": " + result.errors() + " operation(s) failed, first: " + result.firstError());
        }
    }

    private void progress(String line) {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("[bench %02d:%02d] %s%n", seconds / 60, seconds % 60, line);
        System.out.flush();
    }

    private static void wipe(Path state) throws java.io.IOException {
        Installation.deleteTree(state);
        Files.createDirectories(state);
    }
}
