package io.surepost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String ATTEMPTS = Settings.FORWARDING + "max.delivery.attempts";

    @AfterEach
    void clear() {
        System.clearProperty(ATTEMPTS);
    }

    @Test
    void defaultsAreTheSeedsValues() {
        assertEquals(4, Settings.maxDeliveryAttempts());
        assertEquals("http://127.0.0.1:9000/services/SimpleStockQuoteService", Settings.targetEndpoint());
        assertEquals("urn:getQuote", Settings.targetSoapAction());
        assertEquals("full", Settings.proxyLogLevel());
    }

    @Test
    void aSystemPropertyChangesASettingAtOnce() {
        System.setProperty(ATTEMPTS, "10");

        assertEquals(10, Settings.maxDeliveryAttempts());
    }

    @Test
    void anInvalidValueIsRefusedWithItsName() {
        System.setProperty(ATTEMPTS, "four");

        IllegalStateException e = assertThrows(IllegalStateException.class, Settings::maxDeliveryAttempts);
        assertEquals("System property surepost.forwarding.max.delivery.attempts must be a positive integer, but is 'four'", e.getMessage());
    }
}
