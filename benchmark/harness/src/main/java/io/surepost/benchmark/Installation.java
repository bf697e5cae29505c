package io.surepost.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Surepost installation under test, driven the way an operator drives it: the
 * {@code ./surepost} control script (with the benchmark's own state directory), jboss-cli
 * for runtime settings, the status page, and the JDK's jcmd/jstat for WildFly's heap.
 */
final class Installation {

    static final URI PROXY1 = URI.create("http://127.0.0.1:8080/services/Proxy1");
    static final URI STATUS = URI.create("http://127.0.0.1:8080/services/status");
    static final URI PROMETHEUS = URI.create("http://127.0.0.1:9990/prometheus");
    static final String API = "http://127.0.0.1:8080/surepost/api";
    static final URI CEILING = URI.create("http://127.0.0.1:8080/surepost-ceiling/empty");

    /** WildFly's heap in use after a full GC, its committed heap and its resident set, in MB. */
    record Memory(double heapUsedMb, double heapCommittedMb, double rssMb) {
    }

    /** Where the failover and dead-letter stores live: embedded H2, or the suite's own PostgreSQL cluster. */
    enum Database {
        H2("standalone-full.xml", ""),
        POSTGRESQL("standalone-full-postgresql.xml", "-Dsurepost.db.url=jdbc:postgresql://127.0.0.1:55432/surepost_it"
                + " -Dsurepost.db.user=postgres -Dsurepost.db.password=postgres");

        final String serverConfig;
        final String serverOptions;

        Database(String serverConfig, String serverOptions) {
            this.serverConfig = serverConfig;
            this.serverOptions = serverOptions;
        }
    }

    private final Path root;
    private final Path state;
    private final String serverOptions;
    private final Path log;
    private Database database = Database.H2;
    private boolean postgresStarted;
    /** SUREPOST_BROKER_DISK for the control script: the broker's data on a filesystem of this size, or none. */
    private String brokerDisk = "";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Installation(Path root, Path state, String serverOptions) {
        this.root = root;
        this.state = state;
        this.serverOptions = serverOptions;
        this.log = state.resolve("benchmark-control.log");
    }

    Path state() {
        return state;
    }

    Path serverDataDir() {
        return state.resolve("wildfly/data");
    }

    /** Starts broker, sample backend and WildFly with surepost.ear. */
    void start() throws IOException, InterruptedException {
        surepost("start");
    }

    /** Stops everything this installation started (PostgreSQL too, when it was started), and undoes every fault left in place. */
    void stop() throws IOException, InterruptedException {
        if (postgresStarted) {
            surepost("test-fixtures", "stop");
        } else {
            surepost("stop");
        }
    }

    /** Stops whatever an earlier run under the same state directory left running, and undoes its faults; best effort. */
    void stopLeftovers() {
        if (Files.isDirectory(state)) {
            try {
                surepost("test-fixtures", "stop");
            } catch (IOException e) {
                // nothing was running, or it says so in the control log; the wipe that follows tells
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Database database() {
        return database;
    }

    /** Which store the next server start uses; a running server keeps its own until restarted. */
    void useDatabase(Database database) {
        this.database = database;
    }

    /** Puts the broker's data on a filesystem of its own of this size (e.g. "2G"), from the broker's next start. */
    void brokerDisk(String size) {
        this.brokerDisk = size;
    }

    void startPostgres() throws IOException, InterruptedException {
        surepost("postgres", "start");
        postgresStarted = true;
    }

    /** An immediate stop: no checkpoint, connections cut, crash recovery at the next start. */
    void killPostgres() throws IOException, InterruptedException {
        surepost("postgres", "kill");
    }

    void stopServer() throws IOException, InterruptedException {
        surepost("server", "stop");
    }

    void muteBroker() throws IOException, InterruptedException {
        surepost("broker", "mute");
    }

    void unmuteBroker() throws IOException, InterruptedException {
        surepost("broker", "unmute");
    }

    void fillBrokerDisk() throws IOException, InterruptedException {
        surepost("broker", "fill-disk");
    }

    void freeBrokerDisk() throws IOException, InterruptedException {
        surepost("broker", "free-disk");
    }

    void killBroker() throws IOException, InterruptedException {
        surepost("broker", "kill");
    }

    void startBroker() throws IOException, InterruptedException {
        surepost("broker", "start");
    }

    void pauseBroker() throws IOException, InterruptedException {
        surepost("broker", "pause");
    }

    void resumeBroker() throws IOException, InterruptedException {
        surepost("broker", "resume");
    }

    void killServer() throws IOException, InterruptedException {
        surepost("server", "kill");
    }

    void startServer() throws IOException, InterruptedException {
        surepost("server", "start");
    }

    /** What the control script's status says, name by name. */
    Map<String, String> status() throws IOException, InterruptedException {
        Map<String, String> status = new java.util.LinkedHashMap<>();
        for (String line : exec(List.of("bash", root.resolve("surepost").toString(), "status"), Duration.ofMinutes(2)).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 2).strip());
            }
        }
        return status;
    }

    /** Deletes the (stopped) broker's journal and paging files: the next start has empty queues. */
    void wipeBrokerData() throws IOException {
        deleteTree(state.resolve("broker/data"));
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    static void deleteTree(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    Long pid(String name) {
        try {
            long pid = Long.parseLong(Files.readString(state.resolve(name + ".pid")).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Sets a Surepost system property on the running server (it takes effect at once). */
    void setProperty(String name, String value) throws IOException, InterruptedException {
        cli("if (outcome == success) of /system-property=" + name + ":read-resource\n"
                + "    /system-property=" + name + ":write-attribute(name=value, value=\"" + value + "\")\n"
                + "else\n"
                + "    /system-property=" + name + ":add(value=\"" + value + "\")\n"
                + "end-if\n");
    }

    /** The seed's is.active for the forwarding processor: its MDB delivery group. */
    void forwarding(boolean active) throws IOException, InterruptedException {
        cli("/subsystem=ejb3/mdb-delivery-group=surepost-forwarding:write-attribute(name=active, value=" + active + ")\n");
    }

    /** Redeploys surepost.ear, e.g. for a new member.count (read when the MDB is deployed). */
    void redeploy() throws IOException, InterruptedException {
        cli("/deployment=surepost.ear:redeploy\n");
    }

    void deploy(Path war) throws IOException, InterruptedException {
        cli("deploy " + war.toAbsolutePath() + " --force\n");
    }

    void undeploy(String name) throws IOException, InterruptedException {
        cli("undeploy " + name + "\n");
    }

    /** Messages Surepost accepted into the failover store since it started, from its metrics ({@code /prometheus}). */
    long acceptedIntoFailover() throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(PROMETHEUS).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("surepost_messages_accepted_total{") && line.contains("store=\"failover\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Rows in the failover store, from the status page. */
    long failoverRows() throws IOException, InterruptedException {
        String status = http.send(loggedIn(STATUS).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher rows = Pattern.compile("(?m)^failover: (\\d+)$").matcher(status);
        if (!rows.find()) {
            throw new IOException("the status page did not show the failover store's rows: " + status);
        }
        return Long.parseLong(rows.group(1));
    }

    /** Sends one message through Proxy1 and returns the id Surepost gave it (its X-Surepost-Message-Id header). */
    String sendOne(byte[] envelope) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(PROXY1).timeout(Duration.ofSeconds(30))
                .header("Content-Type", Envelope.CONTENT_TYPE).header("SOAPAction", "\"" + Envelope.SOAP_ACTION + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IOException("Proxy1 answered HTTP " + answer.statusCode() + " to one message: " + answer.body());
        }
        return answer.headers().firstValue("X-Surepost-Message-Id")
                .orElseThrow(() -> new IOException("Proxy1's 202 had no X-Surepost-Message-Id header"));
    }

    /** Whether the message's journey is in the database yet ({@code GET /surepost/api/messages/{id}} answers 200). */
    boolean journeyWritten(String messageId) throws IOException, InterruptedException {
        return http.send(loggedIn(URI.create(API + "/messages/" + messageId)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** A request with the control script's own login, which it keeps in the server's directory (the status page and the API need one). */
    private HttpRequest.Builder loggedIn(URI url) throws IOException {
        String login = Files.readString(state.resolve("wildfly/surepost-cli.credentials")).strip();
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
    }

    /** WildFly's live heap (after a full GC, which jcmd asks for) and its RSS. */
    Memory serverMemory() throws IOException, InterruptedException {
        Long pid = pid("server");
        if (pid == null) {
            throw new IOException("WildFly is not running");
        }
        Path jdk = Path.of(System.getProperty("java.home"), "bin");
        exec(List.of(jdk.resolve("jcmd").toString(), pid.toString(), "GC.run"), Duration.ofSeconds(60));
        // jstat -gc: S0C S1C S0U S1U EC EU OC OU ... in KB
        String[] lines = exec(List.of(jdk.resolve("jstat").toString(), "-gc", pid.toString()), Duration.ofSeconds(30))
                .strip().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double used = 0;
        double committed = 0;
        for (int i = 0; i < names.length; i++) {
            switch (names[i]) {
                case "S0U", "S1U", "EU", "OU" -> used += Double.parseDouble(values[i]);
                case "S0C", "S1C", "EC", "OC" -> committed += Double.parseDouble(values[i]);
                default -> {
                }
            }
        }
        double rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        return new Memory(used / 1024, committed / 1024, rssKb / 1024);
    }

    private void cli(String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile(state, "benchmark-", ".cli");
        try {
            Files.writeString(file, script);
            exec(List.of("bash", root.resolve("server-config/target/wildfly/bin/jboss-cli.sh").toString(), "-c",
                    "--file=" + file), Duration.ofMinutes(5));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void surepost(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("surepost").toString()));
        command.addAll(List.of(arguments));
        exec(command, Duration.ofMinutes(5));
    }

    /** Runs a command with the benchmark's environment; returns its output, or throws with its tail. */
    private String exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(state);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SUREPOST_STATE", state.toString());
        env.put("SUREPOST_BROKER_PASSWORD", Jms.PASSWORD);
        env.put("SUREPOST_SERVER_OPTS", (serverOptions + " " + database.serverOptions).strip());
        env.put("SUREPOST_SERVER_CONFIG", database.serverConfig);
        if (!brokerDisk.isEmpty()) {
            env.put("SUREPOST_BROKER_DISK", brokerDisk);
        }
        env.remove("JBOSS_HOME");
        Process process = builder.start();
        byte[] output;
        try (var in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (process.exitValue() != 0 || text.contains("\"outcome\" => \"failed\"")) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + text.strip());
        }
        return text;
    }
}
