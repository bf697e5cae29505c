package io.surepost.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Collects the figures of one run and writes them as BENCHMARKS.md. */
final class Report {

    /** {@code camel}: the Camel peer at the same level, null when the run has no peer (also below). */
    private record Ingest(Load.Result proxy, Load.Result jms, Load.Result http, Load.Result camel) {
    }

    private record Failover(Load.Result proxy, Load.Result jdbc, Load.Result camel) {
    }

    private record JourneyRun(boolean on, Load.Result proxy, double catchUpSeconds) {
    }

    private record Forward(int members, long delivered, double seconds, Cpu.Shares cpu) {
    }

    private record CamelForward(int consumers, long delivered, double seconds) {
    }

    private record PlainForward(List<Load.Result> direct, long delivered, double seconds, Cpu.Shares cpu) {
    }

    private record MemoryPoint(String store, long waiting, Installation.Memory memory, String note) {
    }

    private record Drain(long rows, long left, long onQueue, double toFirstMove, double draining, double total) {
    }

    private final Options options;
    private final String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    private final List<String> machine = new ArrayList<>();
    private final List<Ingest> ingest = new ArrayList<>();
    private final List<Failover> failover = new ArrayList<>();
    private final List<JourneyRun> journey = new ArrayList<>();
    private final List<Forward> forward = new ArrayList<>();
    private final List<MemoryPoint> memory = new ArrayList<>();
    private final List<String> fills = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private Drain drain;
    private PlainForward plainForward;
    private final List<CamelForward> camelForward = new ArrayList<>();
    private Drain camelDrain;
    private Duration duration = Duration.ZERO;

    Report(Options options) {
        this.options = options;
    }

    void machine(Installation installation) {
        machine.add("| Cores | " + Cpu.cores() + " (" + firstLine(Path.of("/proc/cpuinfo"), "model name") + ") |");
        String memory = firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", "");
        machine.add("| Memory | " + (memory.isEmpty() ? "?" : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memory) / 1024.0 / 1024)) + " |");
        machine.add("| Java | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (harness, WildFly, broker and backend all run on it) |");
        machine.add("| WildFly | %WILDFLY% (standalone-full.xml with Surepost's configure-*.cli, default JVM options) |");
        machine.add("| Artemis | " + artemisVersion() + " (NIO journal, fsync on commit) |");
        machine.add("| Failover database | H2 2.2.224 file database in WildFly (`WRITE_DELAY=0`), SurepostDS |");
        machine.add("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " |");
    }

    void ingest(Load.Result proxy, Load.Result jms, Load.Result http, Load.Result camel) {
        ingest.add(new Ingest(proxy, jms, http, camel));
    }

    void journey(boolean on, Load.Result proxy, double catchUpSeconds) {
        journey.add(new JourneyRun(on, proxy, catchUpSeconds));
    }

    void failover(Load.Result proxy, Load.Result jdbc, Load.Result camel) {
        failover.add(new Failover(proxy, jdbc, camel));
    }

    void forward(int members, long delivered, double seconds, Cpu.Shares cpu) {
        forward.add(new Forward(members, delivered, seconds, cpu));
    }

    /** Forwarding to the Python backend; {@code direct} holds one client's runs straight to it, one per {@link HttpPoster.Mode}. */
    void forwardPlain(List<Load.Result> direct, long delivered, double seconds, Cpu.Shares cpu) {
        plainForward = new PlainForward(direct, delivered, seconds, cpu);
    }

    void forwardCamel(int consumers, long delivered, double seconds) {
        camelForward.add(new CamelForward(consumers, delivered, seconds));
    }

    /** The Camel peer's drain; {@code toFirstMove} counts from the peer's start (the broker was up already). */
    void drainCamel(long rows, long left, long onQueue, double toFirstMove, double draining) {
        camelDrain = new Drain(rows, left, onQueue, toFirstMove, draining, toFirstMove + draining);
    }

    void memory(String store, long waiting, Installation.Memory point, String note) {
        memory.add(new MemoryPoint(store, waiting, point, note));
    }

    void queueFill(Load.Result fill, int batch) {
        fills.add(String.format(Locale.ROOT, "%,d", fill.operations() * batch) + " messages at "
                + String.format(Locale.ROOT, "%,.0f", fill.perSecond() * batch) + " msg/s");
    }

    void drain(long rows, long left, long onQueue, double toFirstMove, double draining, double total) {
        drain = new Drain(rows, left, onQueue, toFirstMove, draining, total);
        if (left > 0) {
            problem("the drain did not finish: " + left + " of " + rows + " rows still in the failover store");
        }
        if (onQueue != rows - left) {
            problem("after the drain the queue holds " + onQueue + " messages; " + (rows - left) + " were moved");
        }
    }

    /**
     * The side-by-side table of a scenario: rows of {Surepost, Camel peer (or null), ceiling};
     * nothing when the run had no peer.
     */
    private static void threeWay(StringBuilder md, List<Object[]> rows, String ceiling, String what) {
        if (rows.isEmpty() || rows.get(0)[1] == null) {
            return;
        }
        md.append("\nSide by side: ").append(what).append(", at the same levels in the same run:\n\n");
        md.append("| Clients | Surepost msg/s | p50 / p99 ms | Camel peer msg/s | p50 / p99 ms | ").append(ceiling)
                .append(" msg/s | Surepost ÷ ").append(ceiling).append(" | Surepost ÷ Camel | CPU during the Camel run |\n");
        md.append("|---:|---:|---|---:|---|---:|---:|---:|---|\n");
        for (Object[] row : rows) {
            Load.Result surepost = (Load.Result) row[0];
            Load.Result camel = (Load.Result) row[1];
            Load.Result raw = (Load.Result) row[2];
            md.append(String.format(Locale.ROOT, "| %d | %s | %s / %s | %s | %s / %s | %s | %.2f× | %.2f× | %s |%n", surepost.clients(),
                    rate(surepost), ms(surepost, 0.5), ms(surepost, 0.99), rate(camel), ms(camel, 0.5), ms(camel, 0.99), rate(raw),
                    surepost.perSecond() / raw.perSecond(), surepost.perSecond() / camel.perSecond(), camel.cpu().describe()));
        }
    }

    private static String describe(HttpPoster.Mode mode) {
        return switch (mode) {
            case KEPT_ALIVE -> "kept-alive connection";
            case KEPT_ALIVE_QUICK_ACK -> "kept-alive connection with quick ACKs (TCP_QUICKACK)";
            case NEW_CONNECTION -> "a new connection per request (as curl in a loop)";
        };
    }

    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return problems;
    }

    void duration(Duration duration) {
        this.duration = duration;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Surepost benchmarks\n\n");
        md.append(options.smoke() ? "**Smoke run (tiny load): these figures only show that the harness works.**\n\n" : "");
        md.append("Written by `./surepost bench").append(options.arguments().isEmpty() ? "" : " " + String.join(" ", options.arguments()))
                .append("` on ").append(startedAt).append("; the run took ").append(minutes(duration)).append(".\n");
        md.append("Every figure is from this one run, next to a ceiling measured in the same run on the same machine.\n");
        md.append("Load: ").append(Envelope.SIZE).append("-byte SOAP 1.1 envelopes (the seed's getQuote with a WS-Addressing header), ")
                .append("closed loop (each client sends its next message when the previous one is answered), ")
                .append("after ").append(options.jitWarmup().toSeconds()).append(" s of unmeasured load on each path before its first level ")
                .append("(a fresh JVM runs interpreted code until the JIT compiles it), ")
                .append(options.warmup().toSeconds()).append(" s warm-up then ").append(options.measure().toSeconds())
                .append(" s measured per level. Latency is the client's, request written to response read; percentiles are exact. ")
                .append("CPU is a share of the whole machine (100 % = all cores busy).\n\n");
        md.append("## Machine\n\n| | |\n|---|---|\n");
        machine.forEach(line -> md.append(line.replace("%WILDFLY%", wildflyVersion())).append('\n'));
        md.append('\n');

        md.append("## 1–2. Ingest (broker up) against its ceilings\n\n");
        md.append("Proxy1 → StoreMediator → persistent send to Original → `202`. Ceilings at the same concurrency: ")
                .append("a raw persistent JMS producer (plain Artemis client, one connection per client, same 1 KB message and properties, ")
                .append("non-transacted blocking send) against the same broker, and an empty servlet on the same WildFly that reads the body and answers 202.\n\n");
        md.append("| Clients | Proxy1 msg/s | p50 ms | p99 ms | p99.9 ms | raw JMS msg/s | JMS p99 ms | % of JMS | empty HTTP msg/s | HTTP p99 ms | % of HTTP | CPU during Proxy1 run |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Ingest row : ingest) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.proxy().clients(), rate(row.proxy()), percentiles(row.proxy(), " | "),
                    rate(row.jms()), ms(row.jms(), 0.99), percentOf(row.proxy(), row.jms()),
                    rate(row.http()), ms(row.http(), 0.99), percentOf(row.proxy(), row.http()),
                    row.proxy().cpu().describe()));
        }
        md.append("\nThe ceilings' own latency and CPU:\n\n");
        md.append("| Clients | raw JMS p50 / p99 / p99.9 ms | CPU during raw JMS | empty HTTP p50 / p99 / p99.9 ms | CPU during empty HTTP |\n");
        md.append("|---:|---|---|---|---|\n");
        for (Ingest row : ingest) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", row.jms().clients(),
                    percentiles(row.jms(), " / "), row.jms().cpu().describe(),
                    percentiles(row.http(), " / "), row.http().cpu().describe()));
        }

        threeWay(md, ingest.stream().map(row -> new Object[] {row.proxy(), row.camel(), row.jms()}).toList(), "raw JMS",
                "Proxy1 with the broker up, the Camel peer's endpoint with the broker up, and the raw JMS producer");

        md.append("\n## 3. Failover ingest (broker down) against raw JDBC inserts\n\n");
        md.append("The broker is killed (`kill -9`); Proxy1 stores every message in the failover table. Ceiling: single-row ")
                .append("INSERTs of a row shaped like a failover row (1 KB envelope, unique id, generated key), each committed on its own, ")
                .append("one JDBC connection per client, into an H2 file database of the same H2 version with the same URL options ")
                .append("in the same directory as WildFly's. H2 runs embedded, so the raw inserts' database work is in the load generator's CPU share.\n\n");
        md.append("| Clients | Proxy1 msg/s | p50 ms | p99 ms | p99.9 ms | raw JDBC msg/s | JDBC p50 / p99 / p99.9 ms | % of JDBC | CPU during Proxy1 run | CPU during JDBC run |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---|---:|---|---|\n");
        for (Failover row : failover) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.proxy().clients(), rate(row.proxy()), percentiles(row.proxy(), " | "),
                    rate(row.jdbc()), percentiles(row.jdbc(), " / "), percentOf(row.proxy(), row.jdbc()),
                    row.proxy().cpu().describe(), row.jdbc().cpu().describe()));
        }

        threeWay(md, failover.stream().map(row -> new Object[] {row.proxy(), row.camel(), row.jdbc()}).toList(), "raw JDBC",
                "Proxy1 with the broker down (failover table in WildFly's H2), the Camel peer with the broker down (its circuit breaker's "
                        + "fallback into its own H2 file database, same URL options, a CHECKPOINT SYNC after each insert as Surepost makes its "
                        + "rows durable), and raw single-row JDBC inserts");

        md.append("\n## 4. Drain\n\n");
        if (drain != null) {
            md.append("The failover backlog (built through Proxy1 with the broker down) is moved back to Original once the broker ")
                    .append("returns (`surepost.failover.client.retry.interval=").append(Benchmark.FAILOVER_RETRY_MILLIS).append("` ms, so the first move follows within about that; ")
                    .append("default batch size).\n\n");
            md.append("| Rows | Broker up → first move | First move → table empty | Messages/s | Broker up → empty | On the queue afterwards |\n");
            md.append("|---:|---:|---:|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| %,d | %.1f s | %.1f s | %,.0f | %.1f s | %,d |%n", drain.rows(), drain.toFirstMove(),
                    drain.draining(), (drain.rows() - drain.left()) / drain.draining(), drain.total(), drain.onQueue()));
        }

        if (camelDrain != null && drain != null) {
            md.append("\nThe Camel peer's drain of its own backlog (built through its endpoint with the broker down; the peer is stopped while ")
                    .append("Surepost drains and started again after, so its timer route moves its rows with the broker up from its first tick):\n\n");
            md.append("| | Rows | Start → first move | First move → table empty | Messages/s | On the queue afterwards |\n|---|---:|---:|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| Surepost | %,d | %.1f s (from broker up) | %.1f s | %,.0f | %,d |%n", drain.rows(), drain.toFirstMove(),
                    drain.draining(), (drain.rows() - drain.left()) / drain.draining(), drain.onQueue()));
            md.append(String.format(Locale.ROOT, "| Camel peer | %,d | %.1f s (from its start) | %.1f s | %,.0f | %,d |%n", camelDrain.rows(),
                    camelDrain.toFirstMove(), camelDrain.draining(), (camelDrain.rows() - camelDrain.left()) / Math.max(0.001, camelDrain.draining()),
                    camelDrain.onQueue()));
            md.append(String.format(Locale.ROOT, "%nSurepost ÷ Camel peer: %.2f×.%n",
                    ((drain.rows() - drain.left()) / drain.draining()) / ((camelDrain.rows() - camelDrain.left()) / Math.max(0.001, camelDrain.draining()))));
        }

        md.append("\n## 5. Forward\n\n");
        md.append("Original → ForwardingProcessor MDB → a no-op HTTP backend (in the load generator: it reads the request and answers 200 with no body). ")
                .append("The queue holds the backlog of scenario 6 throughout; member.count is changed by redeploying the EAR.\n\n");
        md.append("| member.count | Delivered msg/s | CPU |\n|---:|---:|---|\n");
        for (Forward row : forward) {
            md.append(String.format(Locale.ROOT, "| %d | %,.0f | %s |%n", row.members(), row.delivered() / row.seconds(), row.cpu().describe()));
        }

        if (!camelForward.isEmpty()) {
            md.append("\nThe Camel peer's transacted JMS route to the same no-op backend, with as many concurrent consumers as member.count:\n\n");
            md.append("| member.count / consumers | Surepost msg/s | Camel peer msg/s | Surepost ÷ Camel |\n|---:|---:|---:|---:|\n");
            for (CamelForward camel : camelForward) {
                double camelRate = camel.delivered() / camel.seconds();
                Forward surepost = forward.stream().filter(f -> f.members() == camel.consumers()).findFirst().orElse(null);
                double surepostRate = surepost == null ? Double.NaN : surepost.delivered() / surepost.seconds();
                md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f× |%n", camel.consumers(), surepostRate, camelRate, surepostRate / camelRate));
            }
        }
        if (plainForward != null) {
            md.append("\nThe same at member.count 1 to an ordinary backend: a SOAP service written with Python's `http.server` (HTTP/1.1 keep-alive, ")
                    .append("Nagle on, headers and body in two writes; its own process), against one client of the load generator posting the same ")
                    .append("envelope straight to it, closed loop, three ways.\n\n");
            md.append("| Client | msg/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
            double best = 0;
            for (Load.Result direct : plainForward.direct()) {
                best = Math.max(best, direct.perSecond());
            }
            HttpPoster.Mode[] modes = HttpPoster.Mode.values();
            for (int i = 0; i < plainForward.direct().size(); i++) {
                Load.Result direct = plainForward.direct().get(i);
                md.append(String.format(Locale.ROOT, "| one client, %s | %,.0f | %.2f | %.2f |%n", describe(modes[i]), direct.perSecond(),
                        direct.percentileMillis(0.50), direct.percentileMillis(0.99)));
            }
            double surepost = plainForward.delivered() / plainForward.seconds();
            md.append(String.format(Locale.ROOT, "| **Surepost forwarding, member.count 1** | **%,.0f** (%s of the best direct client; CPU %s) | | |%n",
                    surepost, best > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * surepost / best) : "n/a", plainForward.cpu().describe()));
        }

        md.append("\n## 6. Backlog memory\n\n");
        md.append("WildFly's heap in use right after a full GC (`jcmd GC.run`, then `jstat -gc`), its committed heap and its resident set size, ")
                .append("as the backlog grows.\n\n");
        md.append("| Backlog | Waiting | Heap used after GC MB | Heap committed MB | RSS MB | Note |\n|---|---:|---:|---:|---:|---|\n");
        for (MemoryPoint point : memory) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %.0f | %s |%n",
                    point.store().equals("queue") ? "Original queue" : "failover table", point.waiting(),
                    point.memory().heapUsedMb(), point.memory().heapCommittedMb(), point.memory().rssMb(), point.note()));
        }
        if (!fills.isEmpty()) {
            md.append("\nThe queue backlog was put on the broker by a plain JMS client in transactions of 500: ")
                    .append(String.join("; ", fills)).append(".\n");
        }

        md.append("\n## 7. What the journey costs ingest\n\n");
        if (!journey.isEmpty()) {
            md.append("Proxy1 with the broker up, the journey (`surepost.journey.enabled`) switched on and off in turn on the same server ")
                    .append("(on, off, off, on, on, off). After each run with it on, the next waits until the writer has stored every step ")
                    .append("the run recorded (one message more, its journey polled through the API): the catch-up below. ")
                    .append("WildFly CPU per message is WildFly's CPU time in the run over the messages accepted.\n\n");
            md.append("| Clients | Journey | msg/s | p50 ms | p99 ms | p99.9 ms | WildFly CPU ms/msg | Writer caught up after |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (JourneyRun run : journey) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", run.proxy().clients(), run.on() ? "on" : "off",
                        rate(run.proxy()), percentiles(run.proxy(), " | "), cpuPerMessage(run.proxy()),
                        run.on() ? String.format(Locale.ROOT, "%.2f s", run.catchUpSeconds()) : ""));
            }
            md.append("\n| Clients | median msg/s on | median msg/s off | cost (1 − on/off) | median CPU ms/msg on | off |\n");
            md.append("|---:|---:|---:|---:|---:|---:|\n");
            for (int clients : journey.stream().map(run -> run.proxy().clients()).distinct().toList()) {
                double on = median(journey, clients, true, run -> run.proxy().perSecond());
                double off = median(journey, clients, false, run -> run.proxy().perSecond());
                md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.1f %% | %.2f | %.2f |%n", clients, on, off, 100 * (1 - on / off),
                        median(journey, clients, true, run -> cpuMillisPerMessage(run.proxy())),
                        median(journey, clients, false, run -> cpuMillisPerMessage(run.proxy()))));
            }
        }

        md.append("\n## Problems\n\n");
        if (problems.isEmpty()) {
            md.append("None: every request was answered as expected and the drain moved every row to the queue.\n");
        } else {
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        return md.toString();
    }

    /** The median of {@code figure} over the journey runs at {@code clients} with the journey {@code on} (or off). */
    private static double median(List<JourneyRun> runs, int clients, boolean on, java.util.function.ToDoubleFunction<JourneyRun> figure) {
        double[] values = runs.stream().filter(run -> run.proxy().clients() == clients && run.on() == on).mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** WildFly's CPU time per operation in milliseconds (its share is of all cores). */
    private static double cpuMillisPerMessage(Load.Result result) {
        Double share = result.cpu().processes().get("WildFly");
        return share == null || result.operations() == 0 ? Double.NaN
                : share / 100 * Cpu.cores() * result.seconds() * 1000 / result.operations();
    }

    private static String cpuPerMessage(Load.Result result) {
        return String.format(Locale.ROOT, "%.2f", cpuMillisPerMessage(result));
    }

    private static String rate(Load.Result result) {
        return String.format(Locale.ROOT, "%,.0f", result.perSecond());
    }

    /** p50, p99 and p99.9 in milliseconds, joined by the separator (table cells or " / "). */
    private static String percentiles(Load.Result result, String separator) {
        return ms(result, 0.5) + separator + ms(result, 0.99) + separator + ms(result, 0.999);
    }

    /** The first result's rate as a share of the second's (its ceiling). */
    private static String percentOf(Load.Result result, Load.Result ceiling) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * result.perSecond() / ceiling.perSecond());
    }

    private static String ms(Load.Result result, double q) {
        double millis = result.percentileMillis(q);
        return String.format(Locale.ROOT, millis < 1 ? "%.2f" : "%.1f", millis);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    /** The value of a "name: value" line, such as /proc/cpuinfo's, or "?". */
    private static String firstLine(Path file, String prefix) {
        String line = lineContaining(file, prefix);
        return line.startsWith(prefix) ? line.substring(line.indexOf(':') + 1).trim() : "?";
    }

    /** The first line that contains the text, or "" when there is none (or no such file). */
    private static String lineContaining(Path file, String text) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(text)).findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /**
     * "WildFly 39.0.1.Final (WildFly Core ...)", as the server logged it at boot: in its
     * server.log, or else on its console (the run's server.log may be gone by the time the
     * report is written).
     */
    private String wildflyVersion() {
        String line = lineContaining(options.state().resolve("wildfly/log/server.log"), "WFLYSRV0049");
        if (line.isEmpty()) {
            line = lineContaining(options.state().resolve("server-console.log"), "WFLYSRV0049");
        }
        return line.isEmpty() ? "?" : line.substring(line.indexOf("WFLYSRV0049:") + 13).replace(" starting", "").trim();
    }

    private String artemisVersion() {
        try (Stream<Path> jars = Files.list(options.root().resolve("server-config/target/artemis/lib"))) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("artemis-server-"))
                    .map(n -> "Apache ActiveMQ Artemis " + n.substring("artemis-server-".length(), n.length() - 4))
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
