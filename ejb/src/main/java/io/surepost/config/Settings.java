package io.surepost.config;

/**
 * Surepost's settings, under the seed's parameter names, read from Java system properties
 * each time they are used, so a change made with jboss-cli
 * ({@code /system-property=surepost.forwarding.max.delivery.attempts:add(value=10)}) takes
 * effect without a redeploy. Every setting has the seed's value as its default.
 */
public final class Settings {

    /** Prefix of the forwarding processor's properties (the seed's ForwardMessageProcessor). */
    public static final String FORWARDING = "surepost.forwarding.";
    /** Prefix of the Original store's properties (the seed's JmsStore "Original"). */
    public static final String STORE = "surepost.store.";
    /** Prefix of the failover processor's properties (the seed's FailoverMessageProcessor). */
    public static final String FAILOVER = "surepost.failover.";
    /** Prefix of the Proxy1 endpoint's properties. */
    public static final String PROXY = "surepost.proxy.";

    /** The seed's SimpleStockQuoteService endpoint. */
    public static final String DEFAULT_TARGET_ENDPOINT = "http://127.0.0.1:9000/services/SimpleStockQuoteService";

    private Settings() {
    }

    /** The seed's {@code <log level="full"/>}: {@code full} logs the envelope, {@code simple} only its id and size. */
    public static String proxyLogLevel() {
        return string(PROXY + "log.level", "full");
    }

    /** The largest envelope Proxy1 accepts, in bytes. */
    public static int maxEnvelopeBytes() {
        return positiveInt(PROXY + "max.envelope.bytes", 1024 * 1024);
    }

    /** The longest a client may take to send a request body; then it gets a 408 fault and the connection is freed. */
    public static long requestBodyTimeoutMillis() {
        return positiveInt(PROXY + "request.timeout", 10_000);
    }

    /** {@code store.producer.guaranteed.delivery.enable}: fall back to the failover store when the broker fails (seed: true). */
    public static boolean guaranteedDelivery() {
        return bool(STORE + "producer.guaranteed.delivery.enable", true);
    }

    /** {@code store.failover.message.store.name}: the failover store's name, as logs and status show it. */
    public static String failoverStoreName() {
        return string(STORE + "failover.message.store.name", "failover");
    }

    /** After a failed send, how long requests skip the broker and go straight to the failover store. */
    public static long brokerProbeIntervalMillis() {
        return positiveInt(STORE + "broker.probe.interval", 2000);
    }

    /**
     * The longest a request waits for the broker to confirm a send before the message goes to
     * the failover store instead (a stalled broker, lost replies, a full disk).
     */
    public static long brokerSendTimeoutMillis() {
        return positiveInt(STORE + "broker.send.timeout", 3000);
    }

    /**
     * The longest a request waits for the failover store to commit and sync a row, after the
     * broker did not take the message; then the client gets a 503.
     */
    public static long failoverWriteTimeoutMillis() {
        return positiveInt(STORE + "failover.write.timeout", 5000);
    }

    /** Opt-in: while the failover store holds rows, new messages go there too (acceptance order across an outage). */
    public static boolean preserveOrder() {
        return bool(STORE + "preserve.order", false);
    }

    /** Failover processor {@code interval}: its timer period (seed: 1000 ms). Read at deployment. */
    public static long failoverIntervalMillis() {
        return positiveInt(FAILOVER + "interval", 1000);
    }

    /** Failover processor {@code client.retry.interval}: the wait after the broker refused a move (seed: 60000 ms). */
    public static long failoverRetryIntervalMillis() {
        return positiveInt(FAILOVER + "client.retry.interval", 60000);
    }

    /** Failover processor {@code max.delivery.attempts} per row (seed: 1000). */
    public static int failoverMaxDeliveryAttempts() {
        return positiveInt(FAILOVER + "max.delivery.attempts", 1000);
    }

    /** Failover processor {@code is.active} (seed: true). */
    public static boolean failoverActive() {
        return bool(FAILOVER + "is.active", true);
    }

    /** Failover processor {@code message.target.store.name} (seed: Original). */
    public static String failoverTargetStore() {
        return string(FAILOVER + "message.target.store.name", "Original");
    }

    /** Rows moved per transaction (1000: the drain benchmark moved 37 % more per second than with 200). */
    public static int failoverBatchSize() {
        return positiveInt(FAILOVER + "batch.size", 1000);
    }

    static boolean bool(String name, boolean defaultValue) {
        return bool(name, System.getProperty(name), defaultValue);
    }

    static String string(String name, String defaultValue) {
        return orDefault(System.getProperty(name), defaultValue);
    }

    static int positiveInt(String name, int defaultValue) {
        return positiveInt(name, System.getProperty(name), defaultValue);
    }

    // The readers below turn one property's value (null when unset) into a setting, or say
    // what is wrong with it, naming the property.

    /**
     * Envelope bytes moved per transaction at most (a batch holds at least one row): a batch of
     * large envelopes must fit WildFly's heap next to everything else (default 16 MiB).
     */
    public static long failoverBatchBytes() {
        return positiveInt(FAILOVER + "batch.bytes", 16 * 1024 * 1024);
    }

    public static int nonNegativeInt(String name, String value, int defaultValue) {
        return integer(name, value, defaultValue, 0, Integer.MAX_VALUE);
    }

    public static int positiveInt(String name, String value, int defaultValue) {
        return integer(name, value, defaultValue, 1, Integer.MAX_VALUE);
    }

    public static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        String expected = max < Integer.MAX_VALUE ? "an integer from " + min + " to " + max
                : min == 0 ? "0 or a positive integer" : "a positive integer";
        throw new IllegalStateException("System property " + name + " must be " + expected + ", but is '" + value + "'");
    }

    public static double decimal(String name, String value, double defaultValue, double min, double max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalStateException("System property " + name + " must be a number from " + min + " to " + max + ", but is '" + value + "'");
    }

    public static boolean bool(String name, String value, boolean defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "enabled", "yes" -> true;
            case "false", "disabled", "no" -> false;
            default -> throw new IllegalStateException("System property " + name + " must be true or false, but is '" + value + "'");
        };
    }

    public static String orDefault(String value, String defaultValue) {
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }
}
