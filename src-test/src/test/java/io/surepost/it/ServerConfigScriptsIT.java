package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-config CLI scripts, run offline (embed-server) on a copy of the provisioned
 * server's configuration: configure scripts re-run without changing anything, restore
 * scripts remove every Surepost resource, and configure after restore gives back exactly
 * the configured server. The server the other tests use is not touched.
 */
class ServerConfigScriptsIT {

    private static final String CONFIG = "standalone-full.xml";
    /** WildFly's load balancer, as shipped: the cluster's front. */
    private static final String FRONT = "standalone-load-balancer.xml";
    private static final List<String> CONFIGURE = List.of("configure-messaging.cli", "configure-datasource.cli", "configure-surepost.cli",
            "configure-observability.cli");
    private static final List<String> RESTORE = List.of("restore-observability.cli", "restore-surepost.cli", "restore-datasource.cli",
            "restore-messaging.cli");

    @TempDir
    Path baseDir;

    @BeforeEach
    void copyTheProvisionedConfiguration() throws IOException {
        Path source = Surepost.jbossHome().resolve("standalone/configuration");
        Path target = Files.createDirectories(baseDir.resolve("configuration"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void configureScriptsRerunWithoutChangingTheConfiguration() throws Exception {
        String configured = config();

        run(CONFIGURE);

        assertEquals(configured, config());
    }

    @Test
    void restoreScriptsRemoveEverySurepostResource() throws Exception {
        assertTrue(config().contains("surepost-producer"), "the provisioned server is configured");

        run(RESTORE);

        String restored = config().toLowerCase(Locale.ROOT);
        assertFalse(restored.contains("surepost"), "no Surepost resource is left");
        assertFalse(restored.contains("annotation-property-replacement"), "the ee subsystem is back to its default");
        assertTrue(restored.contains("<periodic-rotating-file-handler name=\"file\""), "server.log has WildFly's own handler again");
        assertFalse(restored.contains("micrometer") || restored.contains("microprofile-health"), "health and metrics are WildFly's own again");
        assertFalse(restored.contains("queue-requests-on-start"), "requests during boot are held again, as WildFly ships");
    }

    @Test
    void restoreScriptsRerunCleanly() throws Exception {
        run(RESTORE);
        String restored = config();

        run(RESTORE);

        assertEquals(restored, config());
    }

    /**
     * The baseline is a server configured from a restored one, not the provisioned file as it
     * is now: the other integration tests change that server at runtime (a delivery group
     * switched off and on is written back as a plain value).
     */
    @Test
    void configureAfterRestoreGivesBackTheConfiguredServer() throws Exception {
        run(RESTORE);
        run(CONFIGURE);
        String configured = config();
        run(RESTORE);

        run(CONFIGURE);

        assertEquals(configured, config());
    }

    @Test
    void aClusterNodesScriptRerunsCleanlyAndItsRestoreGivesBackTheSingleNodeServer() throws Exception {
        String single = config();
        run(List.of("configure-cluster-node.cli"));
        String node = config();
        assertTrue(node.contains("surepost-broker-backup"), "the pair's backup is configured");
        assertTrue(node.contains("ProducerConnectionFactory-3"), "the node's broker list has three brokers");
        assertTrue(node.contains("proxies=\"surepost-front\""), "the node registers with the front");

        run(List.of("configure-cluster-node.cli"));
        assertEquals(node, config(), "a second run changes nothing");

        run(List.of("restore-cluster-node.cli"));
        assertEquals(single, config());
        run(List.of("restore-cluster-node.cli"));
        assertEquals(single, config(), "a second restore changes nothing");
    }

    @Test
    void theFrontsScriptRerunsCleanlyAndItsRestoreGivesBackWildFlysLoadBalancer() throws Exception {
        String shipped = config(FRONT);
        run(FRONT, List.of("configure-front.cli"));
        String front = config(FRONT);
        assertFalse(front.contains("advertise-socket-binding"), "the front does not advertise");
        assertTrue(front.contains("health-check-interval=\"2000\""), "the front checks its nodes every 2 s");

        run(FRONT, List.of("configure-front.cli"));
        assertEquals(front, config(FRONT), "a second run changes nothing");

        run(FRONT, List.of("restore-front.cli"));
        assertEquals(shipped, config(FRONT));
        run(FRONT, List.of("restore-front.cli"));
        assertEquals(shipped, config(FRONT), "a second restore changes nothing");
    }

    private String config() throws IOException {
        return config(CONFIG);
    }

    private String config(String file) throws IOException {
        return Files.readString(baseDir.resolve("configuration").resolve(file), StandardCharsets.UTF_8);
    }

    private void run(List<String> scripts) throws IOException, InterruptedException {
        run(CONFIG, scripts);
    }

    private void run(String configFile, List<String> scripts) throws IOException, InterruptedException {
        Path cli = Surepost.root().resolve("server-config/src/main/cli");
        List<String> command = new ArrayList<>(List.of("bash", cli.resolve("embed.sh").toString(),
                Surepost.jbossHome().toString(), configFile));
        scripts.forEach(script -> command.add(cli.resolve(script).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SUREPOST_BASE_DIR", baseDir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
        assertEquals(0, process.exitValue(), () -> String.join(" ", scripts) + " failed:\n" + output);
        assertFalse(output.contains("\"outcome\" => \"failed\""), () -> "a command failed:\n" + output);
    }
}
