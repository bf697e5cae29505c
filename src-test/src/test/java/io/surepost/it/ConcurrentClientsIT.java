package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many clients at once: every accepted message reaches the backend, exactly once. */
@ExtendWith(ArquillianExtension.class)
class ConcurrentClientsIT {

    private static final int CLIENTS = 16;
    private static final int MESSAGES = 200;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @Test
    void twoHundredMessagesFromSixteenClientsAreEachDeliveredExactlyOnce() throws Exception {
        List<String> accepted = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<String>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sends.add(clients.submit(Surepost::accept));
            }
            for (Future<String> send : sends) {
                accepted.add(send.get());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(MESSAGES, new HashSet<>(accepted).size(), "every message got its own id");

        Set<String> expected = new HashSet<>(accepted);
        Surepost.eventually().until(() -> Surepost.deliveredIds().stream().filter(expected::contains).count() >= MESSAGES);

        Map<String, Long> deliveries = Surepost.deliveredIds().stream().filter(expected::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(expected, deliveries.keySet(), "every accepted id reached the backend");
        assertEquals(Map.of(), deliveries.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no id was delivered twice");
    }
}
