package io.surepost.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of the load generator (this JVM) and of the processes under test (WildFly, the
 * broker), read from the JVM and from /proc. A share is CPU time over wall time over all
 * cores: 50 % on a 2-core machine is one core busy.
 */
final class Cpu {

    /** CPU time in clock ticks per process name, plus this JVM's, at one instant. */
    record Sample(long nanos, long harnessCpuNanos, Map<String, Long> processTicks) {
    }

    /** Shares of the machine's CPU between two samples, in percent. */
    record Shares(double harness, Map<String, Double> processes) {
        String describe() {
            StringBuilder text = new StringBuilder(String.format("load generator %.0f %%", harness));
            processes.forEach((name, share) -> text.append(String.format(", %s %.0f %%", name, share)));
            return text.toString();
        }
    }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Map<String, Supplier<Long>> pids;

    /** @param pids process name → its PID now (null when it is not running) */
    Cpu(Map<String, Supplier<Long>> pids) {
        this.pids = pids;
    }

    Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Long p = pid.get();
            ticks.put(name, p == null ? -1L : ticks(p));
        });
        return new Sample(System.nanoTime(), harnessCpuNanos(), ticks);
    }

    Shares shares(Sample before, Sample after) {
        double wall = Math.max(1, after.nanos() - before.nanos());
        double harness = 100.0 * (after.harnessCpuNanos() - before.harnessCpuNanos()) / wall / CORES;
        Map<String, Double> processes = new LinkedHashMap<>();
        before.processTicks().forEach((name, t0) -> {
            Long t1 = after.processTicks().get(name);
            if (t0 >= 0 && t1 != null && t1 >= t0) {
                processes.put(name, 100.0 * (t1 - t0) * 1e9 / TICKS_PER_SECOND / wall / CORES);
            }
        });
        return new Shares(harness, processes);
    }

    private static long harnessCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat), or -1 when it is gone. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int cores() {
        return CORES;
    }
}
