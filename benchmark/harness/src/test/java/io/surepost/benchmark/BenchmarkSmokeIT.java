package io.surepost.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness on a tiny load, exactly as a user runs it ({@code ./surepost bench
 * --smoke}): it must bring the system up, run every scenario, report figures from the run,
 * find nothing lost and leave no process behind. The figures themselves are not judged.
 */
class BenchmarkSmokeIT {

    private static final Path DIR = Path.of(System.getProperty("surepost.smoke.dir")).toAbsolutePath();

    private static int exitCode;
    private static String report;
    private static SmokeRun run;

    @BeforeAll
    static void runTheHarnessOnATinyLoad() throws IOException, InterruptedException {
        run = SmokeRun.of(DIR, "BENCHMARKS.md", "SUREPOST_BENCH_STATE", 10, "bench", "--smoke");
        exitCode = run.exitCode();
        report = run.report();
    }

    @Test
    void harnessFinishesWithoutProblems() {
        assertEquals(0, exitCode, () -> "exit code of ./surepost bench --smoke; output:\n" + run.tail());
        assertTrue(report.contains("## Problems\n\nNone"), report);
    }

    @Test
    void reportHasEveryScenarioWithMeasuredRates() {
        for (String heading : List.of("## Machine", "## 1–2. Ingest", "## 3. Failover ingest", "## 4. Drain", "## 5. Forward",
                "## 6. Backlog memory", "## 7. What the journey costs ingest")) {
            assertTrue(report.contains(heading), () -> "missing " + heading + " in\n" + report);
        }
        // Ingest rows: clients, Proxy1 msg/s, ... every rate column must be a measured, positive number
        Matcher ingest = Pattern.compile("(?m)^\\| (\\d+) \\| ([\\d,]+) \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| ([\\d,]+) \\|").matcher(report);
        int rows = 0;
        while (ingest.find()) {
            rows++;
            assertTrue(number(ingest.group(2)) > 0 && number(ingest.group(3)) > 0, ingest.group());
        }
        assertTrue(rows >= 4, () -> "ingest and failover tables with a row per concurrency level:\n" + report);
    }

    @Test
    void journeyCostComesFromThreeRunsWithItOnAndThreeWithItOff() {
        // | clients | on/off | msg/s | p50 | p99 | p99.9 | CPU ms/msg | catch-up |
        Matcher runs = Pattern.compile("(?m)^\\| (\\d+) \\| (on|off) \\| ([\\d,]+) \\|").matcher(report);
        List<String> states = new java.util.ArrayList<>();
        while (runs.find()) {
            states.add(runs.group(2));
            assertTrue(number(runs.group(3)) > 0, runs.group());
        }
        assertEquals(List.of("on", "off", "off", "on", "on", "off"), states, report);
        assertTrue(Pattern.compile("(?m)^\\| \\d+ \\| [\\d,]+ \\| [\\d,]+ \\| -?[\\d.]+ % \\|").matcher(report).find(), report);
    }

    @Test
    void drainMovesEveryRowBackToTheQueue() {
        Matcher drain = Pattern.compile("(?m)^\\| ([\\d,]+) \\| [\\d.]+ s \\| [\\d.]+ s \\| [\\d,]+ \\| [\\d.]+ s \\| ([\\d,]+) \\|$").matcher(report);
        assertTrue(drain.find(), report);
        assertTrue(number(drain.group(1)) > 0, drain.group());
        assertEquals(number(drain.group(1)), number(drain.group(2)), "rows drained = messages on the queue afterwards");
    }

    @Test
    void forwardingToThePythonBackendIsMeasuredBesideOneClientStraightToIt() {
        Matcher direct = Pattern.compile("(?m)^\\| one client, [^|]+ \\| ([\\d,]+) \\|").matcher(report);
        int clients = 0;
        while (direct.find()) {
            clients++;
            assertTrue(number(direct.group(1)) > 0, direct.group());
        }
        assertEquals(3, clients, report);
        Matcher surepost = Pattern.compile("(?m)^\\| \\*\\*Surepost forwarding, member.count 1\\*\\* \\| \\*\\*([\\d,]+)\\*\\*").matcher(report);
        assertTrue(surepost.find(), report);
        assertTrue(number(surepost.group(1)) > 0, surepost.group());
    }

    @Test
    void nothingIsLeftRunning() {
        for (String pid : List.of("broker.pid", "server.pid", "backend.pid")) {
            assertTrue(Files.notExists(DIR.resolve("state").resolve(pid)), pid + " left behind");
        }
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
