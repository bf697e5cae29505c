package io.surepost.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyBufferTest {

    private static JourneyEvent event(String id) {
        return new JourneyEvent(id, Instant.now(), JourneyEvent.Kind.ACCEPTED, "node", 202, 1, "");
    }

    @Test
    void eventsComeOutOldestFirstInBatchesOfAtMostTheSizeAsked() {
        JourneyBuffer buffer = new JourneyBuffer(10);
        List.of("a", "b", "c").forEach(id -> buffer.add(event(id)));

        assertEquals(List.of("a", "b"), buffer.take(2).stream().map(JourneyEvent::messageId).toList());
        assertEquals(List.of("c"), buffer.take(2).stream().map(JourneyEvent::messageId).toList());
        assertEquals(List.of(), buffer.take(2));
    }

    @Test
    void aFullBufferCountsWhatItDropsAndNeverBlocks() {
        JourneyBuffer buffer = new JourneyBuffer(2);
        List.of("a", "b", "c", "d").forEach(id -> buffer.add(event(id)));

        assertEquals(2, buffer.size());
        assertEquals(2, buffer.takeDropped());
        assertEquals(0, buffer.takeDropped(), "the count starts again");
    }

    @Test
    void eventsPutBackAfterAFailedWriteAreTakenAgain() {
        JourneyBuffer buffer = new JourneyBuffer(10);
        buffer.add(event("a"));
        List<JourneyEvent> failed = buffer.take(10);

        buffer.putBack(failed);

        assertEquals(List.of("a"), buffer.take(10).stream().map(JourneyEvent::messageId).toList());
    }
}
