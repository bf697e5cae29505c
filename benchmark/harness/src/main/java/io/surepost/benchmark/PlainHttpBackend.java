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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The forward benchmark's ordinary backend: a SOAP service written the way a new user writes
 * one in Python, with {@code http.server} (HTTP/1.1 keep-alive, one thread per connection,
 * Nagle left on, the response headers and body in two writes). It answers every POST with a
 * small SOAP envelope and counts them; a GET answers the count. It runs as its own process
 * (python3 from the PATH), so its CPU is its own, outside the shares the report gives.
 */
final class PlainHttpBackend implements AutoCloseable {

    static final String PATH = "/services/SimpleStockQuoteService";

    /** The whole backend, as a user would write it (plus the counter the harness reads). */
    private static final String SCRIPT = """
            import sys, threading
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

            ANSWER = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
                      b'<soapenv:Body><ns:getQuoteResponse xmlns:ns="http://services.samples"/></soapenv:Body></soapenv:Envelope>')
            received = 0
            lock = threading.Lock()

            class Handler(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"  # keep connections alive

                def do_POST(self):
                    global received
                    self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    with lock:
                        received += 1
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml; charset=UTF-8")
                    self.send_header("Content-Length", str(len(ANSWER)))
                    self.end_headers()
                    self.wfile.write(ANSWER)

                def do_GET(self):  # the benchmark's counter
                    body = str(received).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, format, *args):
                    pass

            ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """;

    private final Process process;
    private final int port;

    private PlainHttpBackend(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it on {@code port}, its script and log in {@code dir}; waits up to 10 s for it to listen. */
    static PlainHttpBackend start(Path dir, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path script = dir.resolve("plain-backend.py");
        Files.writeString(script, SCRIPT);
        Process process = new ProcessBuilder("python3", script.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("plain-backend.log").toFile())
                .start();
        PlainHttpBackend backend = new PlainHttpBackend(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                backend.received();
                return backend;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    backend.close();
                    throw new IOException("the Python backend did not start on port " + port + " within 10 s; see "
                            + dir.resolve("plain-backend.log"), notYet);
                }
                process.waitFor(100, TimeUnit.MILLISECONDS); // its exit, or the next look
            }
        }
    }

    /** Whether this machine can run it. */
    static boolean available() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import http.server").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + PATH);
    }

    /** The POSTs it has answered so far. */
    long received() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /count HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int body = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.") || body < 0) {
                throw new IOException("the Python backend's counter answered " + answer);
            }
            return Long.parseLong(answer.substring(body + 4).trim());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
