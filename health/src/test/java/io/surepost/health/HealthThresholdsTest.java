package io.surepost.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HealthThresholdsTest {

    private final HealthThresholds thresholds = new HealthThresholds(3, 60);

    @Test
    void aBacklogWithinBothThresholdsKeepsTheNodeReady() {
        assertNull(thresholds.exceededBy(3, 60_999L));
        assertNull(thresholds.exceededBy(0, null));
    }

    @Test
    void moreRowsThanTheThresholdSaySoWithTheSetting() {
        assertEquals("4 rows wait, more than surepost.health.failover.max.rows=3", thresholds.exceededBy(4, 1000L));
    }

    @Test
    void anOldestRowOlderThanTheThresholdSaysSoWithTheSetting() {
        assertEquals("the oldest row waits for 61 s, longer than surepost.health.failover.max.age.seconds=60",
                thresholds.exceededBy(1, 61_000L));
    }

    @Test
    void aSettingThatDoesNotParseKeepsTheDefault() {
        System.setProperty(HealthThresholds.MAX_ROWS, "many");
        try {
            assertEquals(HealthThresholds.DEFAULT_MAX_ROWS, HealthThresholds.current().maxRows());
        } finally {
            System.clearProperty(HealthThresholds.MAX_ROWS);
        }
    }
}
