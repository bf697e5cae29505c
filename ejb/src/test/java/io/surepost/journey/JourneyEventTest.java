package io.surepost.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyEventTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:15:30.123Z");

    @Test
    void anAcceptanceIsOneRowShownAsAcceptedThenStoredAtTheSameMoment() {
        JourneyEvent row = JourneyEvent.accepted("m1", AT, "node-1", 4, "Original", "from 10.0.0.7, SOAPAction \"urn:getQuote\", 1024 bytes");

        List<JourneyEvent> steps = row.unfolded();

        assertEquals(List.of(
                new JourneyEvent("m1", AT, "accepted", "node-1", 202, 4, "from 10.0.0.7, SOAPAction \"urn:getQuote\", 1024 bytes"),
                new JourneyEvent("m1", AT, "stored", "node-1", 0, -1, "in Original")), steps);
    }

    @Test
    void aSoapActionThatLooksLikeAStoreDoesNotChangeWhereTheMessageWasStored() {
        JourneyEvent row = JourneyEvent.accepted("m1", AT, "node-1", 4, "the failover store 'FailoverStore'",
                "from 10.0.0.7, SOAPAction \"in Original\u001fin Original\", 9 bytes");

        List<JourneyEvent> steps = row.unfolded();

        assertEquals("in the failover store 'FailoverStore'", steps.get(1).detail());
        assertEquals("from 10.0.0.7, SOAPAction \"in Original\u001fin Original\", 9 bytes", steps.get(0).detail());
    }

    @Test
    void anAcceptanceWrittenAsTwoRowsByAnEarlierVersionStaysAsItIs() {
        JourneyEvent accepted = new JourneyEvent("m1", AT, "accepted", "node-1", 202, 4, "from 10.0.0.7, SOAPAction \"\", 9 bytes");
        JourneyEvent stored = new JourneyEvent("m1", AT, "stored", "node-1", 0, -1, "in Original");

        assertEquals(List.of(accepted), accepted.unfolded());
        assertEquals(List.of(stored), stored.unfolded());
    }

    @Test
    void otherStepsAreThemselves() {
        JourneyEvent attempt = new JourneyEvent("m1", AT, "delivery attempt", "node-2", 500, 12, "HTTP 500\u001fodd");

        assertEquals(List.of(attempt), attempt.unfolded());
    }
}
