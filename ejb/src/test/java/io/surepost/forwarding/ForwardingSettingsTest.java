package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardingSettingsTest {

    private static ForwardingSettings read(Map<String, String> properties) {
        return ForwardingSettings.read(properties::get);
    }

    @Test
    void defaultsAreTheSeedsValues() {
        ForwardingSettings defaults = ForwardingSettings.defaults();

        assertEquals(4, defaults.policy().maxAttempts());
        assertEquals(URI.create("http://127.0.0.1:9000/services/SimpleStockQuoteService"), defaults.endpoint());
        assertEquals("urn:getQuote", defaults.soapAction());
        assertEquals(Duration.ofSeconds(30), defaults.httpTimeout());
    }

    @Test
    void aPropertyChangesASetting() {
        ForwardingSettings settings = read(Map.of("surepost.forwarding.max.delivery.attempts", "10",
                "surepost.forwarding.non.retry.status.codes", "400, 404"));

        assertEquals(10, settings.policy().maxAttempts());
        assertEquals(Set.of(400, 404), settings.policy().nonRetryStatusCodes());
    }

    @Test
    void anInvalidNumberIsRefusedWithItsName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> read(Map.of("surepost.forwarding.max.delivery.attempts", "four")));

        assertEquals("System property surepost.forwarding.max.delivery.attempts must be a positive integer, but is 'four'", e.getMessage());
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> read(Map.of("surepost.forwarding.target.endpoint", "http//127.0.0.1:9000/services")));

        assertEquals("System property surepost.forwarding.target.endpoint must be an http:// or https:// URL with a host,"
                + " but is 'http//127.0.0.1:9000/services'", e.getMessage());
    }

    @Test
    void anHttpTimeoutAboveTheTransactionTimeoutIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> read(Map.of("surepost.forwarding.http.timeout", "600000")));

        assertEquals("System property surepost.forwarding.http.timeout must be an integer from 1 to 100000, but is '600000'", e.getMessage());
    }

    @Test
    void aStatusCodeOutOfRangeIsRefused() {
        assertThrows(IllegalStateException.class, () -> read(Map.of("surepost.forwarding.non.retry.status.codes", "400,4040")));
    }
}
