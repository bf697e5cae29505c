package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingConfigurationTest {

    private final Map<String, String> properties = new HashMap<>();
    private final ForwardingConfiguration configuration = new ForwardingConfiguration(() -> ForwardingSettings.read(properties::get));

    @Test
    void aBadValueIsNeverAppliedTheLastGoodSettingsStay() {
        properties.put("surepost.forwarding.target.endpoint", "http://backend.example:8080/quotes");
        ForwardingSettings good = configuration.current();

        properties.put("surepost.forwarding.target.endpoint", "htp:/backend.example");

        assertSame(good, configuration.current());
        assertTrue(configuration.problem().contains("target.endpoint"), configuration.problem());
    }

    @Test
    void correctingTheValueClearsTheProblem() {
        properties.put("surepost.forwarding.max.delivery.attempts", "many");
        configuration.current();

        properties.put("surepost.forwarding.max.delivery.attempts", "7");

        assertEquals(7, configuration.current().policy().maxAttempts());
        assertEquals("", configuration.problem());
    }

    @Test
    void aBadValueBeforeAnyGoodOneFallsBackToTheDefaults() {
        properties.put("surepost.forwarding.interval", "-5");

        assertEquals(ForwardingSettings.defaults(), configuration.current());
    }
}
