package io.surepost.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdTest {

    @Test
    void idIsAVersion7UuidWithTheRfcVariant() {
        UUID id = UUID.fromString(MessageId.next());

        assertEquals(7, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void idCarriesTheAcceptanceTime() {
        long millis = 1_795_000_000_123L;

        assertEquals(Instant.ofEpochMilli(millis), MessageId.acceptedAt(MessageId.next(millis)));
    }

    @Test
    void idsOfLaterMessagesSortAfterEarlierOnes() {
        String earlier = MessageId.next(1_795_000_000_000L);
        String later = MessageId.next(1_795_000_000_001L);

        assertTrue(earlier.compareTo(later) < 0, earlier + " < " + later);
    }

    @Test
    void idsAreUniqueWithinTheSameMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(MessageId.next(1_795_000_000_000L));
        }

        assertEquals(100_000, ids.size());
    }

    @Test
    void aRandomUuidIsNotAMessageId() {
        String random = UUID.randomUUID().toString();

        assertThrows(IllegalArgumentException.class, () -> MessageId.acceptedAt(random));
    }

    @Test
    void onlyLettersDigitsAndDashesUpTo36CanBeAMessagesId() {
        assertTrue(MessageId.mayBe(MessageId.next()));
        assertTrue(MessageId.mayBe("unknown-123"));
        assertFalse(MessageId.mayBe("x' or '1'='1"));
        assertFalse(MessageId.mayBe("a".repeat(37)));
        assertFalse(MessageId.mayBe(""));
        assertFalse(MessageId.mayBe(null));
    }
}
