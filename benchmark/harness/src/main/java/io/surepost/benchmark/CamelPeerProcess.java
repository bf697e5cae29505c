package io.surepost.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Camel peer (benchmark/camel-peer) as the benchmark runs it: its own JVM, on the run's
 * broker, with its H2 failover database in the run's state directory (the same URL options as
 * Surepost's), forwarding to the same no-op backend. Started and stopped by the harness; its
 * forwarder runs only while the forward scenario measures it.
 */
final class CamelPeerProcess implements AutoCloseable {

    static final int PORT = 8090;

    private final Path root;
    private final Path dir;
    private final String backendUrl;
    private Process process;
    private long pid;

    CamelPeerProcess(Path root, Path dir, String backendUrl) {
        this.root = root;
        this.dir = dir;
        this.backendUrl = backendUrl;
    }

    /** The peer's jar, built by {@code mvn -P camel-peer -pl benchmark/camel-peer install} (./surepost bench does). */
    static Path jar(Path root) {
        return root.resolve("benchmark/camel-peer/target/surepost-camel-peer.jar");
    }

    URI proxy1() {
        return URI.create("http://127.0.0.1:" + PORT + "/services/Proxy1");
    }

    /** Starts it with {@code consumers} forwarding consumers (the forwarder stopped); waits up to 60 s until it answers. */
    void start(int consumers) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dpeer.http.port=" + PORT,
                "-Dpeer.broker.url=" + Jms.URL,
                "-Dpeer.broker.user=" + Jms.USER,
                "-Dpeer.broker.password=" + Jms.PASSWORD,
                "-Dpeer.jdbc.url=jdbc:h2:file:" + dir.resolve("peer") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                "-Dpeer.backend.url=" + backendUrl,
                "-Dpeer.forwarding.consumers=" + consumers,
                "-Dpeer.forwarding.autostart=false",
                "-cp", jar(root) + ":" + root.resolve("benchmark/camel-peer/target/lib") + "/*",
                "io.surepost.benchmark.camel.CamelPeer"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("camel-peer.log").toFile())).start();
        pid = process.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (request("GET", "/control/health").startsWith("ok")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IOException("the Camel peer did not start within 60 s; see " + dir.resolve("camel-peer.log"));
            }
            process.waitFor(200, TimeUnit.MILLISECONDS); // its exit, or the next look
        }
    }

    /** Its PID while it runs, else null. */
    Long pid() {
        return process != null && process.isAlive() ? pid : null;
    }

    void forwarder(boolean running) throws IOException {
        request("POST", "/control/forwarder/" + (running ? "start" : "stop"));
    }

    long failoverRows() throws IOException {
        return Long.parseLong(request("GET", "/control/failover/count").trim());
    }

    /** Stops it (SIGTERM, then SIGKILL after 30 s). */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** One control request; the answer's body, or an exception for any status but 200. */
    private static String request(String method, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 2_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.1 200") || body < 0) {
                throw new IOException("the Camel peer answered " + method + " " + path + " with " + answer.lines().findFirst().orElse("nothing"));
            }
            return answer.substring(body + 4);
        }
    }
}
