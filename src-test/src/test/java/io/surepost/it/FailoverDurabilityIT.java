package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 202 from the failover store means the row is on disk, not only handed to the operating
 * system: H2 forces its file only at a checkpoint, so every acknowledged failover row must be
 * followed by a sync. Counted with strace on WildFly's JVM while messages are acknowledged
 * one after another (no two can share a sync): at least one fsync per message. H2 only; a
 * PostgreSQL commit is durable by itself.
 */
@ExtendWith(ArquillianExtension.class)
class FailoverDurabilityIT {

    private static final int MESSAGES = 100;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "start");
        eventually().until(() -> Surepost.failoverRows() == 0);
    }

    @Test
    void everyMessageAcknowledgedFromTheFailoverStoreIsSyncedToDisk() throws Exception {
        Surepost.control("broker", "kill");
        Surepost.accept(); // the breaker is open from here on: every message goes to the failover table

        Path output = Files.createTempFile(Surepost.state(), "strace", ".txt");
        Process strace = traceSyncCalls(wildFlyPid(), output);
        try {
            eventually().until(() -> Files.readString(output).contains("attached") || !strace.isAlive());
            assertTrue(strace.isAlive(), () -> "strace ended: " + read(output));
            for (int i = 0; i < MESSAGES; i++) {
                Surepost.accept();
            }
        } finally {
            strace.destroy(); // strace detaches and prints its summary
            assertTrue(strace.waitFor(30, TimeUnit.SECONDS), "strace ended");
        }
        List<String> summary = read(output).lines().map(String::strip).toList();
        Files.delete(output);
        long syncs = summary.stream().filter(line -> line.endsWith(" fsync") || line.endsWith(" fdatasync"))
                .mapToLong(FailoverDurabilityIT::calls).sum();
        assertTrue(syncs >= MESSAGES, () -> syncs + " fsync/fdatasync calls for " + MESSAGES + " acknowledged messages: "
                + summary.stream().filter(line -> !line.contains("attached") && !line.contains("detached")).toList());
    }

    /** strace -c over every thread of the process (-f with -p takes them all): a summary of fsync and fdatasync calls. */
    private static Process traceSyncCalls(long pid, Path output) throws IOException {
        return new ProcessBuilder("strace", "-c", "-f", "-e", "trace=fsync,fdatasync", "-p", Long.toString(pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(output.toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The JVM of the managed WildFly the tests deploy to: the process listening on Proxy1's port. */
    private static long wildFlyPid() {
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + Surepost.PROXY1.getPort()).start();
            String listening = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(listening);
            if (!pid.find()) {
                throw new AssertionError("no process listens on port " + Surepost.PROXY1.getPort() + ": " + listening);
            }
            return Long.parseLong(pid.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ss", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The "calls" column of an strace -c summary line: % time, seconds, usecs/call, calls, [errors,] syscall. */
    private static long calls(String summaryLine) {
        String[] columns = summaryLine.trim().split("\\s+");
        return Long.parseLong(columns[3]);
    }
}
