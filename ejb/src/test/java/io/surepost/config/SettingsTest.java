package io.surepost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store, failover and proxy settings: the seed's defaults, validation, and the live holder's last-good rule. */
class SettingsTest {

    private final Map<String, String> properties = new HashMap<>();

    @Test
    void defaultsAreTheSeedsValues() {
        StoreSettings store = StoreSettings.defaults();
        FailoverSettings failover = FailoverSettings.defaults();
        ProxySettings proxy = ProxySettings.defaults();

        assertTrue(store.guaranteedDelivery());
        assertEquals("failover", store.failoverStoreName());
        assertEquals(3000, store.brokerSendTimeoutMillis());
        assertEquals(5000, store.failoverWriteTimeoutMillis());
        assertFalse(store.preserveOrder());
        assertEquals(1000, failover.intervalMillis());
        assertEquals(60_000, failover.retryIntervalMillis());
        assertEquals(1000, failover.maxAttempts());
        assertEquals("Original", failover.targetStore());
        assertTrue(proxy.logFull());
        assertEquals(1024 * 1024, proxy.maxEnvelopeBytes());
    }

    @Test
    void theSeedsWordsForBooleansAreUnderstood() {
        properties.put("surepost.store.producer.guaranteed.delivery.enable", "Disabled");

        assertFalse(StoreSettings.read(properties::get).guaranteedDelivery());
    }

    @Test
    void aTargetStoreOtherThanOriginalIsRefused() {
        properties.put("surepost.failover.message.target.store.name", "Orignal");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FailoverSettings.read(properties::get));

        assertEquals("System property surepost.failover.message.target.store.name must be Original (the one store failover rows"
                + " can move to), but is 'Orignal'", e.getMessage());
    }

    @Test
    void anUnknownLogLevelIsRefused() {
        properties.put("surepost.proxy.log.level", "verbose");

        assertThrows(IllegalStateException.class, () -> ProxySettings.read(properties::get));
    }

    @Test
    void aBadSendTimeoutIsNeverAppliedTheLastGoodOneStays() {
        LiveSettings<StoreSettings> live = holder();
        properties.put("surepost.store.broker.send.timeout", "1500");
        StoreSettings good = live.current();

        properties.put("surepost.store.broker.send.timeout", "3s");

        assertSame(good, live.current());
        assertTrue(live.describe().startsWith("refused, the last valid ones apply: System property surepost.store.broker.send.timeout"),
                live.describe());
    }

    @Test
    void aBadValueBeforeAnyGoodOneFallsBackToTheDefaultsAndACorrectionClearsIt() {
        LiveSettings<StoreSettings> live = holder();
        properties.put("surepost.store.failover.write.timeout", "0");

        assertEquals(StoreSettings.defaults(), live.current());

        properties.put("surepost.store.failover.write.timeout", "2000");

        assertEquals(2000, live.current().failoverWriteTimeoutMillis());
        assertEquals("valid", live.describe());
    }

    private LiveSettings<StoreSettings> holder() {
        return new LiveSettings<>("Store", () -> StoreSettings.read(properties::get), StoreSettings::defaults) {
        };
    }
}
