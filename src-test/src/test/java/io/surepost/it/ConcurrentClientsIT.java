package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    void twoHundredMessagesFromSixteenClientsAreEachDeliveredExactlyOnce() {
        List<String> accepted = Surepost.acceptConcurrently(MESSAGES, CLIENTS);
        assertEquals(MESSAGES, new HashSet<>(accepted).size(), "every message got its own id");

        Set<String> expected = new HashSet<>(accepted);
        Surepost.eventually().until(() -> Surepost.deliveries(expected).size() >= MESSAGES);

        Map<String, Long> deliveries = Surepost.deliveries(expected);
        assertEquals(expected, deliveries.keySet(), "every accepted id reached the backend");
        assertEquals(Map.of(), deliveries.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no id was delivered twice");
    }
}
