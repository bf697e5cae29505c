package io.surepost.health;

/**
 * Where readiness turns DOWN for the failover table: more rows waiting than
 * {@code surepost.health.failover.max.rows} (default 1000), or an oldest row older than
 * {@code surepost.health.failover.max.age.seconds} (default 300). Read at every check; a value
 * that does not parse keeps the default. Plain record.
 */
public record HealthThresholds(long maxRows, long maxAgeSeconds) {

    public static final String MAX_ROWS = "surepost.health.failover.max.rows";
    public static final String MAX_AGE_SECONDS = "surepost.health.failover.max.age.seconds";
    static final long DEFAULT_MAX_ROWS = 1000;
    static final long DEFAULT_MAX_AGE_SECONDS = 300;

    public static HealthThresholds current() {
        return new HealthThresholds(read(MAX_ROWS, DEFAULT_MAX_ROWS), read(MAX_AGE_SECONDS, DEFAULT_MAX_AGE_SECONDS));
    }

    /** Why the failover table makes the node not ready, or null when it does not. */
    public String exceededBy(long rows, Long oldestAgeMillis) {
        if (rows > maxRows) {
            return rows + " rows wait, more than " + MAX_ROWS + "=" + maxRows;
        }
        if (oldestAgeMillis != null && oldestAgeMillis / 1000 > maxAgeSeconds) {
            return "the oldest row waits for " + oldestAgeMillis / 1000 + " s, longer than " + MAX_AGE_SECONDS + "=" + maxAgeSeconds;
        }
        return null;
    }

    private static long read(String name, long fallback) {
        try {
            long value = Long.parseLong(System.getProperty(name, String.valueOf(fallback)).trim());
            return value >= 0 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
