package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that send their headers and a few bytes of a large body, then nothing, must not
 * take the gateway's worker threads: a good request is answered at once while 200 of them
 * hang, and each of them gets a 408 fault once its body is overdue.
 */
@ExtendWith(ArquillianExtension.class)
class SlowClientsIT {

    private static final int SLOW_CLIENTS = 200;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @Test
    void aGoodRequestIsAnsweredWhileTwoHundredClientsHangMidBody() throws IOException {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(startHalfARequest());
            }

            long start = System.nanoTime();
            String id = Surepost.accept();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, () -> "the good request took " + took.toMillis() + " ms");
            Surepost.eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
            String answer = statusLine(slow.get(0));
            assertTrue(answer.startsWith("HTTP/1.1 408"), () -> "a hanging client is told its body is overdue: " + answer);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** Headers announcing a 100 KB body, and its first bytes; the rest never comes. */
    private static Socket startHalfARequest() throws IOException {
        Socket socket = new Socket(Surepost.PROXY1.getHost(), Surepost.PROXY1.getPort());
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + Surepost.PROXY1.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
                + "SOAPAction: \"urn:getQuote\"\r\nContent-Length: 100000\r\n\r\n<soapenv:Envelope").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
