package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Three Surepost nodes over three broker pairs and one PostgreSQL ({@code ./surepost cluster}),
 * black-box and under load: 16 clients spread their messages over the nodes, every
 * acknowledged message is counted at the cluster's sample backend. Its own ports and state
 * directory: brokers 62616.. (backups 62716..), nodes at offsets 100, 200, 300 (8180, 8280,
 * 8380), PostgreSQL 55434, backend 9400.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path STATE = Surepost.state().resolveSibling("cluster-nodes");
    private static final Map<String, String> CLUSTER = Map.of(
            "SUREPOST_CLUSTER_STATE", STATE.toString(),
            "SUREPOST_CLUSTER_PORT", "62616",
            "SUREPOST_CLUSTER_PG_PORT", "55434",
            "SUREPOST_CLUSTER_BACKEND_PORT", "9400",
            // The failover processors retry the broker every second (the seed's 60 s is for production)
            "SUREPOST_SERVER_OPTS", "-Dsurepost.failover.client.retry.interval=1000");
    private static final List<URI> NODES = List.of(node(1), node(2), node(3));

    @BeforeAll
    static void startTheCluster() {
        Surepost.control(CLUSTER, "cluster", "start", "--brokers", "3", "--nodes", "3");
    }

    /**
     * Each test starts from a settled cluster: every primary serving, every backup waiting,
     * no failover row, forwarding active on every node (a fault of the test before, and the
     * failback after it, are over).
     */
    @BeforeEach
    void theClusterHasSettled() {
        eventually().atMost(Duration.ofMinutes(2)).until(() -> {
            String status = Surepost.control(CLUSTER, "cluster", "status");
            return count(status, "(primary, serving)") == 3 && count(status, "(backup, waiting to take over)") == 3
                    && count(status, "failover 0, forwarding active") == 3;
        });
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    @AfterAll
    static void stopTheCluster() {
        Surepost.control(CLUSTER, "cluster", "stop");
    }

    private static URI node(int node) {
        return URI.create("http://localhost:" + (8080 + 100 * node) + "/services/Proxy1");
    }

    /**
     * First, on the fresh cluster: with no fault at all, exactly once. (A fault, and the
     * failback after a primary returns, may repeat a message in flight on that pair's nodes;
     * the tests after this one allow for that.)
     */
    @Test
    @Order(1)
    void everyNodeAcceptsAndEveryMessageIsDeliveredOnce() throws Exception {
        Load load = new Load(NODES, 600);

        load.run(() -> { });

        assertEquals(600, load.acknowledged().size(), () -> "refused: " + load.refused());
        Map<String, Long> delivered = eventually().atMost(Duration.ofMinutes(2)).until(() -> deliveries(load.acknowledged()),
                counts -> counts.size() == load.acknowledged().size());
        assertTrue(delivered.values().stream().allMatch(count -> count == 1), "each once");
    }

    @Test
    void aPrimaryKilledUnderLoadLosesNothingItsNodeAcknowledged() throws Exception {
        Load load = new Load(NODES, 2000);

        load.run(() -> {
            Surepost.control(CLUSTER, "cluster", "broker", "1", "kill");
        });

        assertAllDelivered(load);
        Surepost.control(CLUSTER, "cluster", "broker", "1", "start");
    }

    @Test
    void aNodeWhoseBrokerPairIsDownStillAcceptsAndTheOtherNodesDeliverItsMessages() throws Exception {
        Surepost.control(CLUSTER, "cluster", "broker", "1", "kill");
        Surepost.control(CLUSTER, "cluster", "backup", "1", "kill");
        try {
            Load load = new Load(List.of(node(1)), 200);

            load.run(() -> { });

            assertEquals(200, load.acknowledged().size(), () -> "node 1 accepts into the shared failover table: " + load.refused());
            // Nodes 2 and 3 claim the shared table's rows and move them through their own brokers
            assertAllDelivered(load);
        } finally {
            Surepost.control(CLUSTER, "cluster", "broker", "1", "start");
            Surepost.control(CLUSTER, "cluster", "backup", "1", "start");
        }
    }

    @Test
    void aNodeKilledUnderLoadLosesNothingItAcknowledged() throws Exception {
        Load load = new Load(NODES, 2000);

        load.run(() -> {
            Surepost.control(CLUSTER, "cluster", "node", "2", "kill");
            Surepost.control(CLUSTER, "cluster", "node", "2", "start");
        });

        assertAllDelivered(load);
    }

    @Test
    @Order(2)
    void statusHasALinePerNodeAndPerBroker() {
        String status = Surepost.control(CLUSTER, "cluster", "status");

        for (int i = 1; i <= 3; i++) {
            assertTrue(status.contains("node-" + i + ": up on " + node(i)), status);
            assertTrue(status.contains("broker-primary-" + i + ": up (primary, serving)"), status);
        }
    }

    /** Every acknowledged message reaches the backend; a repeat only for a message in flight at the fault (a few). */
    private static void assertAllDelivered(Load load) {
        Map<String, Long> delivered = eventually().atMost(Duration.ofMinutes(3)).until(() -> deliveries(load.acknowledged()),
                counts -> counts.size() == load.acknowledged().size());
        long repeats = delivered.values().stream().mapToLong(count -> count - 1).sum();
        assertTrue(repeats <= 20, () -> repeats + " repeated deliveries");
        assertTrue(load.acknowledged().size() >= load.total() / 2, () -> "acknowledged only " + load.acknowledged().size());
    }

    private static Map<String, Long> deliveries(Set<String> ids) {
        return Surepost.deliveredIds(STATE.resolve("backend/backend.log")).stream().filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** 16 clients sending {@code total} seed envelopes, round-robin over the nodes; a fault is injected after a fifth. */
    private static final class Load {
        private final List<URI> nodes;
        private final int total;
        private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();

        Load(List<URI> nodes, int total) {
            this.nodes = nodes;
            this.total = total;
        }

        interface Fault {
            void inject() throws Exception;
        }

        void run(Fault fault) throws Exception {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        URI target = nodes.get(i % nodes.size());
                        try {
                            HttpResponse<String> response = Surepost.post(target, Surepost.SEED_ENVELOPE, "text/xml; charset=UTF-8");
                            if (response.statusCode() == 202) {
                                acknowledged.add(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow());
                            } else {
                                refused.add(target + ": HTTP " + response.statusCode());
                            }
                        } catch (IllegalStateException e) {
                            refused.add(target + ": " + (e.getCause() instanceof IOException ? "no answer" : e.getMessage()));
                        }
                        answered.incrementAndGet();
                    }
                });
            }
            clients.shutdown();
            eventually().atMost(Duration.ofMinutes(2)).until(() -> answered.get() >= total / 5);
            fault.inject();
            assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES), "the load finished");
        }

        Set<String> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        List<String> refused() {
            return List.copyOf(refused);
        }

        int total() {
            return total;
        }
    }
}
