package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker that stalls (SIGSTOP: its connections stay open, nothing answers) for longer than
 * every timeout must not hold requests: each is answered within the send deadline
 * ({@code store.broker.send.timeout}, 3 s) plus the failover write, and every accepted
 * message arrives once the broker is back.
 */
@ExtendWith(ArquillianExtension.class)
class BrokerStallIT {

    private static final int CLIENTS = 32;
    private static final int MESSAGES = 400;
    /** The send deadline (3 s) plus room for the failover write on a busy 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(6);

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @AfterEach
    void brokerRunsAgain() {
        Surepost.control("broker", "resume");
    }

    private record Answer(String id, int status, long nanos) {
    }

    @Test
    void requestsAreAnsweredWithinTheSendDeadlineWhileTheBrokerStallsAndNothingIsLost() throws InterruptedException {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0 && Surepost.failoverRows() == 0);
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicInteger toSend = new AtomicInteger(MESSAGES);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            clients.submit(() -> {
                while (toSend.getAndDecrement() > 0) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = Surepost.postSeedEnvelope();
                    answers.add(new Answer(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElse(""),
                            response.statusCode(), System.nanoTime() - start));
                }
            });
        }
        clients.shutdown();
        try {
            eventually().until(() -> answers.size() >= 50);
            Surepost.control("broker", "pause");
            long pausedAt = System.nanoTime();
            int answeredBefore = answers.size();
            // Longer than the client's call-timeout (5 s) and the send deadline (3 s), under load
            eventually().until(() -> answers.size() - answeredBefore >= 100
                    && Duration.ofNanos(System.nanoTime() - pausedAt).compareTo(Duration.ofSeconds(12)) >= 0);
            Surepost.control("broker", "resume");
            assertTrue(clients.awaitTermination(2, TimeUnit.MINUTES), "the clients finished");
        } finally {
            clients.shutdownNow();
        }

        assertEquals(MESSAGES, answers.size());
        List<Answer> refused = answers.stream().filter(answer -> answer.status() != 202).toList();
        assertEquals(List.of(), refused, "every request was accepted");
        long longest = answers.stream().mapToLong(Answer::nanos).max().orElseThrow();
        assertTrue(Duration.ofNanos(longest).compareTo(BOUND) < 0,
                () -> "the longest wait was " + Duration.ofNanos(longest).toMillis() + " ms, the bound " + BOUND.toMillis() + " ms");

        List<String> ids = answers.stream().map(Answer::id).toList();
        eventually().atMost(Duration.ofMinutes(3)).until(() -> Surepost.deliveries(ids).size() == MESSAGES);
        eventually().until(() -> Surepost.failoverRows() == 0);
        long slow = answers.stream().filter(answer -> Duration.ofNanos(answer.nanos()).toMillis() >= 2900).count();
        long duplicates = Surepost.deliveries(ids).values().stream().mapToLong(count -> count - 1).sum();
        assertTrue(duplicates <= slow, () -> duplicates + " duplicates, but only " + slow
                + " sends were in flight at the broker when their deadline passed: " + Map.copyOf(Surepost.deliveries(ids)));
    }
}
