package io.surepost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginalLayoutTest {

    @Test
    void originalIsAQueueUnlessATopicIsAskedFor() {
        assertFalse(OriginalLayout.of(null).topic());
        assertFalse(OriginalLayout.of("").topic());
        assertFalse(OriginalLayout.of("jakarta.jms.Queue").topic());
        assertTrue(OriginalLayout.of(" jakarta.jms.Topic ").topic());
    }

    @Test
    void anyOtherDestinationTypeIsRefusedNamingTheSettingAndTheAllowedValues() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> OriginalLayout.of("topic"));

        assertEquals("System property surepost.original.destination-type must be jakarta.jms.Queue or jakarta.jms.Topic,"
                + " but is 'topic'", refused.getMessage());
    }
}
