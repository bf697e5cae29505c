package io.surepost.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's knobs: {@code ./surepost bench [--smoke] [--out FILE] [--clients 1,8,32,128]
 * [--jit-warmup SECONDS] [--warmup SECONDS] [--measure SECONDS] [--queue-backlog N] [--failover-backlog N]
 * [--members 1,4,16] [--scenarios ingest,journey,forward,failover,drain] [--peer camel|none]}. {@code --smoke} is a tiny load that only proves
 * the harness works; it runs without the Camel peer unless {@code --peer camel} asks for it (the peer's build downloads Camel).
 * The journey scenario runs at 32 clients (4 with {@code --smoke}), or at each level {@code --clients} gives.
 */
record Options(Path root, Path state, Path out, boolean smoke, List<Integer> clients, List<Integer> journeyClients, Duration jitWarmup, Duration warmup,
               Duration measure,
               long queueBacklog, long failoverBacklog, List<Integer> members, List<String> scenarios,
               boolean camelPeer, List<String> arguments) {

    static final List<String> SCENARIOS = List.of("ingest", "journey", "forward", "failover", "drain");

    static Options parse(Path root, Path state, String[] args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Path out = root.resolve("BENCHMARKS.md");
        List<Integer> clients = smoke ? List.of(1, 4) : List.of(1, 8, 32, 128);
        // The journey's six runs at the level its limit is stated for, unless --clients says otherwise
        List<Integer> journeyClients = smoke ? List.of(4) : List.of(32);
        Duration jitWarmup = Duration.ofSeconds(smoke ? 1 : 30);
        Duration warmup = Duration.ofSeconds(smoke ? 1 : 3);
        Duration measure = Duration.ofSeconds(smoke ? 2 : 10);
        long queueBacklog = smoke ? 2_000 : 1_000_000;
        long failoverBacklog = smoke ? 300 : 100_000;
        List<Integer> members = smoke ? List.of(1, 2) : List.of(1, 4, 16);
        List<String> scenarios = SCENARIOS;
        boolean camelPeer = !smoke;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--smoke" -> {
                    continue;
                }
                case "--out" -> out = Path.of(value).toAbsolutePath();
                case "--clients" -> {
                    clients = integers(value);
                    journeyClients = clients;
                }
                case "--jit-warmup" -> jitWarmup = Duration.ofSeconds(Long.parseLong(value));
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
                case "--measure" -> measure = Duration.ofSeconds(Long.parseLong(value));
                case "--queue-backlog" -> queueBacklog = Long.parseLong(value);
                case "--failover-backlog" -> failoverBacklog = Long.parseLong(value);
                case "--members" -> members = integers(value);
                case "--scenarios" -> scenarios = Arrays.stream(value.split(",")).map(String::trim).toList();
                case "--peer" -> {
                    if (!value.equals("camel") && !value.equals("none")) {
                        throw new IllegalArgumentException("--peer takes camel or none, not " + value);
                    }
                    camelPeer = value.equals("camel");
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --smoke --out FILE --clients 1,8,32,128 --jit-warmup S --warmup S --measure S"
                        + " --queue-backlog N --failover-backlog N --members 1,4,16 --scenarios ingest,journey,forward,failover,drain --peer camel|none");
            }
            i++;
        }
        if (!SCENARIOS.containsAll(scenarios)) {
            throw new IllegalArgumentException("--scenarios takes " + String.join(",", SCENARIOS) + ", not " + scenarios);
        }
        if (scenarios.contains("drain") && !scenarios.contains("failover")) {
            throw new IllegalArgumentException("the drain moves the failover scenario's backlog: --scenarios drain needs failover");
        }
        return new Options(root, state, out, smoke, clients, journeyClients, jitWarmup, warmup, measure, queueBacklog, failoverBacklog, members,
                scenarios, camelPeer, List.of(args));
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
