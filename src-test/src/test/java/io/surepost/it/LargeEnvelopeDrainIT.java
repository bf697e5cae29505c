package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 300 envelopes of about 1 MiB each wait in the failover table; the drain moves them back at
 * WildFly's default heap (512 MB, as standalone.conf sets it), in batches bounded by bytes as
 * well as rows. The server is the one the control script runs, with its default JVM options.
 */
class LargeEnvelopeDrainIT {

    private static final int MESSAGES = 300;

    private static Map<String, String> server() {
        return Surepost.scriptServer("-Dsurepost.failover.client.retry.interval=1000");
    }

    @BeforeAll
    static void startServer() {
        Surepost.control(server(), "server", "start");
    }

    @AfterAll
    static void stopServer() {
        Surepost.control("broker", "start");
        Surepost.control(server(), "server", "stop");
    }

    @Test
    void threeHundredEnvelopesOfOneMebibyteDrainAtTheDefaultHeap() throws Exception {
        eventually().until(() -> Surepost.failoverRows() == 0 && Broker.messageCount(Broker.ORIGINAL) == 0);
        int logLinesBefore = Surepost.lines(Surepost.scriptServerLog()).size();
        Surepost.forwardingByScript("stop-delivery");
        try {
            Surepost.control("broker", "kill");
            String envelope = Surepost.SEED_ENVELOPE.replace("<soapenv:Header/>",
                    "<soapenv:Header><pad xmlns=\"urn:surepost:test\">" + "x".repeat(1_000_000) + "</pad></soapenv:Header>");
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<HttpResponse<String>>> sends = java.util.stream.IntStream.range(0, MESSAGES)
                        .mapToObj(i -> clients.submit(() -> Surepost.post(envelope, "text/xml; charset=UTF-8"))).toList();
                for (Future<HttpResponse<String>> send : sends) {
                    assertEquals(202, send.get().statusCode(), () -> "accepted into the failover table");
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(MESSAGES, Surepost.failoverRows());

            Surepost.control("broker", "start");

            eventually().atMost(Duration.ofMinutes(5)).until(() -> Surepost.failoverRows() == 0);
            assertEquals(MESSAGES, Broker.messageCount(Broker.ORIGINAL), "every envelope on the queue once");
            List<String> log = Surepost.lines(Surepost.scriptServerLog());
            assertTrue(log.subList(Math.min(logLinesBefore, log.size()), log.size()).stream().noneMatch(line -> line.contains("OutOfMemoryError")),
                    "no OutOfMemoryError in the server log");
        } finally {
            Surepost.forwardingByScript("start-delivery");
        }
        eventually().atMost(Duration.ofMinutes(5)).until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
    }
}
