package io.surepost.benchmark;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One measurement of {@code ./surepost cluster bench}: closed-loop ingest (the 1 KiB seed
 * envelope, one connection per client) through the running cluster's front, with the CPU
 * split between the front, each node and each primary broker (PostgreSQL, whose work is done
 * by one backend process per connection, is not counted). The control script runs it
 * with every node up and again with one, and prints both lines.
 * <p>
 * usage: ClusterBenchmark LABEL (system properties: surepost.cluster.state, surepost.cluster.front,
 * surepost.bench.clients, surepost.bench.warmup, surepost.bench.measure in seconds)
 */
public final class ClusterBenchmark {

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "cluster";
        Path state = Path.of(System.getProperty("surepost.cluster.state"));
        URI front = URI.create(System.getProperty("surepost.cluster.front"));
        int clients = Integer.getInteger("surepost.bench.clients", 32);
        Duration warmup = Duration.ofSeconds(Long.getLong("surepost.bench.warmup", 10));
        Duration measure = Duration.ofSeconds(Long.getLong("surepost.bench.measure", 20));

        Cpu cpu = new Cpu(processes(state));
        byte[] envelope = Envelope.oneKilobyte();
        Load.Result result = Load.timed(index -> new HttpPoster(front, Envelope.CONTENT_TYPE, Envelope.SOAP_ACTION, envelope, 202),
                clients, warmup, measure, cpu);
        System.out.printf("%s: %d clients through %s: %.0f msg/s, p50 %.1f ms, p99 %.1f ms, %d errors%s; CPU: %s%n",
                label, clients, front, result.perSecond(), result.percentileMillis(0.5), result.percentileMillis(0.99),
                result.errors(), result.errors() == 0 ? "" : " (first: " + result.firstError() + ")", result.cpu().describe());
    }

    /** The cluster's processes by name, from the PID files its control script keeps. */
    private static Map<String, Supplier<Long>> processes(Path state) {
        Map<String, Supplier<Long>> pids = new LinkedHashMap<>();
        pids.put("front", () -> pid(state.resolve("front.pid")));
        for (int i = 1; i <= 3; i++) {
            pids.put("node-" + i, pidOf(state.resolve("node-" + i + ".pid")));
        }
        for (int i = 1; i <= 3; i++) {
            pids.put("broker " + i, pidOf(state.resolve("broker-primary-" + i + ".pid")));
        }
        return pids;
    }

    private static Supplier<Long> pidOf(Path file) {
        return () -> pid(file);
    }

    /** The first line of a PID file, or null when there is none. */
    private static Long pid(Path file) {
        try {
            return Long.parseLong(Files.readAllLines(file, StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
