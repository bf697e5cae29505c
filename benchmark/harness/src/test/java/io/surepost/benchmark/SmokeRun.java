package io.surepost.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code ./surepost} command of the harness (bench, faults) as a user does, on its own
 * state directory, and keeps its exit code, output and report for the smoke tests.
 */
record SmokeRun(int exitCode, String report, Path output) {

    static final Path ROOT = Path.of(System.getProperty("surepost.root")).toAbsolutePath().normalize();

    /**
     * @param stateVariable the environment variable that moves the command's state directory
     */
    static SmokeRun of(Path dir, String reportName, String stateVariable, long timeoutMinutes, String... command)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path report = dir.resolve(reportName);
        Path output = dir.resolve(command[0] + "-output.txt");
        Files.deleteIfExists(report);
        List<String> line = new ArrayList<>(List.of("bash", ROOT.resolve("surepost").toString()));
        line.addAll(List.of(command));
        line.addAll(List.of("--out", report.toString()));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put(stateVariable, dir.resolve("state").toString());
        builder.environment().remove("SUREPOST_SERVER_OPTS");
        Process process = builder.start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("./surepost " + String.join(" ", command) + " took more than " + timeoutMinutes
                    + " minutes; see " + output);
        }
        return new SmokeRun(process.exitValue(), Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "", output);
    }

    /** The last 40 lines the command printed. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
