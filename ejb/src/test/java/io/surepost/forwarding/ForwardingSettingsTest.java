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
    void theOrderPreservingModeTakesTheDefaultsButNoRetryScheduleLongerThanItsTransaction() {
        assertEquals(true, read(Map.of("surepost.store.preserve.order", "true")).retryInPlace());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(Map.of("surepost.store.preserve.order", "true",
                "surepost.forwarding.max.delivery.attempts", "5")));

        assertEquals("With surepost.store.preserve.order=true a message's retries run inside its one transaction, and"
                + " surepost.forwarding.max.delivery.attempts × surepost.forwarding.http.timeout plus the back-off between them may"
                + " take up to 154000 ms, more than 130000 ms: lower one of them", e.getMessage());
    }

    @Test
    void theSecondProcessorHasItsOwnEndpointAndTheFirstsOtherSettingsUnlessItSetsThem() {
        Map<String, String> properties = Map.of(
                "surepost.forwarding.target.endpoint", "http://first.example/a",
                "surepost.forwarding.second.target.endpoint", "http://second.example/b",
                "surepost.forwarding.max.delivery.attempts", "7",
                "surepost.forwarding.client.retry.interval", "500",
                "surepost.forwarding.second.client.retry.interval", "2000");

        ForwardingSettings second = ForwardingSettings.read(ForwardingSettings.secondOverFirst(properties::get));

        assertEquals(URI.create("http://second.example/b"), second.endpoint());
        assertEquals(7, second.policy().maxAttempts());
        assertEquals(2000, second.policy().retryIntervalMillis());
        assertEquals(URI.create("http://first.example/a"), read(properties).endpoint());
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
