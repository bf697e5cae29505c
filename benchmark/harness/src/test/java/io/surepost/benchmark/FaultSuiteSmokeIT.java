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
 * The fault suite on a small load, exactly as a user runs it ({@code ./surepost faults
 * --smoke}): broker killed and frozen, WildFly killed, backend down, slow and hostile
 * clients, each under load. Every scenario must pass (nothing acknowledged lost, nothing
 * unexpected, no wait past the bound) and nothing may be left running.
 */
class FaultSuiteSmokeIT {

    private static final Path DIR = Path.of(System.getProperty("surepost.smoke.dir")).toAbsolutePath().resolve("faults");
    private static final List<String> SMOKE_SCENARIOS = List.of("broker-kill", "broker-pause", "wildfly-kill", "backend-down",
            "slow-clients", "hostile-xml");

    private static SmokeRun run;

    @BeforeAll
    static void runTheSuiteOnASmallLoad() throws IOException, InterruptedException {
        run = SmokeRun.of(DIR, "FAULTS.md", "SUREPOST_FAULTS_STATE", 15, "faults", "--smoke");
    }

    @Test
    void everySmokeScenarioPasses() {
        assertEquals(0, run.exitCode(), () -> "exit code of ./surepost faults --smoke; output:\n" + run.tail());
        for (String scenario : SMOKE_SCENARIOS) {
            Matcher row = Pattern.compile("(?m)^\\| " + Pattern.quote(scenario) + " \\| passed \\| (\\d+) \\| (\\d+) \\|").matcher(run.report());
            assertTrue(row.find(), () -> scenario + " passed, in\n" + run.report());
            assertTrue(Integer.parseInt(row.group(1)) > 0 && Integer.parseInt(row.group(2)) > 0, () -> scenario + " sent and acknowledged messages: " + row.group());
        }
    }

    @Test
    void nothingIsLeftRunning() {
        for (String pid : List.of("broker.pid", "server.pid", "server-wrapper.pid", "backend.pid")) {
            assertTrue(Files.notExists(DIR.resolve("state").resolve(pid)), pid + " left behind");
        }
    }
}
