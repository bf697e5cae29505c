package io.surepost.config;

import java.time.Duration;

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

    /** Where the forwarding processor delivers messages. */
    public static String targetEndpoint() {
        return string(FORWARDING + "target.endpoint", DEFAULT_TARGET_ENDPOINT);
    }

    /** The SOAPAction sent to the backend (the seed's proxy sets {@code Action=urn:getQuote}). */
    public static String targetSoapAction() {
        return string(FORWARDING + "soap.action", "urn:getQuote");
    }

    /** {@code max.delivery.attempts}: attempts before a message counts as undeliverable (seed: 4). */
    public static int maxDeliveryAttempts() {
        return positiveInt(FORWARDING + "max.delivery.attempts", 4);
    }

    /** Forwarding {@code interval}: pause after each delivery, a throttle (0 = none; the seed uses 1000). */
    public static long forwardingIntervalMillis() {
        return nonNegativeInt(FORWARDING + "interval", 0);
    }

    /** Forwarding {@code client.retry.interval}: wait before the first retry of a failed delivery (seed: 1000 ms). */
    public static long clientRetryIntervalMillis() {
        return positiveInt(FORWARDING + "client.retry.interval", 1000);
    }

    /** Exponential back-off: each retry waits this many times longer than the one before (1 = constant, the seed). */
    public static double retryBackoffMultiplier() {
        return decimal(FORWARDING + "retry.backoff.multiplier", 1.0, 1.0, 100.0);
    }

    /** Exponential back-off: the longest wait between two attempts. */
    public static long retryBackoffMaxDelayMillis() {
        return positiveInt(FORWARDING + "retry.backoff.max.delay", 300_000);
    }

    /** Exponential back-off: random spread of each wait, 0 (none) to 1 (plus or minus 100 %). */
    public static double retryBackoffJitter() {
        return decimal(FORWARDING + "retry.backoff.jitter", 0.0, 0.0, 1.0);
    }

    /** {@code max.delivery.drop}: Disabled (deactivate, keep the message; seed) or Enabled (dead-letter it, go on). */
    public static boolean maxDeliveryDrop() {
        return bool(FORWARDING + "max.delivery.drop", false);
    }

    /** {@code is.active}: whether the forwarding processor starts active (seed: true). */
    public static boolean forwardingActive() {
        return bool(FORWARDING + "is.active", true);
    }

    /** {@code non.retry.status.codes}: HTTP statuses that are final at once, e.g. {@code 400,404}. */
    public static java.util.Set<Integer> nonRetryStatusCodes() {
        String value = string(FORWARDING + "non.retry.status.codes", "");
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        for (String code : value.split("[,\\s]+")) {
            if (!code.isBlank()) {
                try {
                    codes.add(Integer.parseInt(code.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("System property " + FORWARDING + "non.retry.status.codes must list HTTP status codes, but holds '" + code + "'");
                }
            }
        }
        return codes;
    }

    /** What a non-retry status means: {@code delivered} (the seed's meaning) or {@code dead-letter}. */
    public static boolean nonRetryStatusIsDelivered() {
        String value = string(FORWARDING + "non.retry.status.outcome", "delivered");
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "delivered" -> true;
            case "dead-letter" -> false;
            default -> throw new IllegalStateException("System property " + FORWARDING + "non.retry.status.outcome must be delivered or dead-letter, but is '" + value + "'");
        };
    }

    /** How long the backend may take to accept a TCP connection. */
    public static Duration connectTimeout() {
        return Duration.ofMillis(positiveInt(FORWARDING + "http.connect.timeout", 5000));
    }

    /** How long the backend may take to answer. */
    public static Duration readTimeout() {
        return Duration.ofMillis(positiveInt(FORWARDING + "http.read.timeout", 30000));
    }

    /** The seed's {@code <log level="full"/>}: {@code full} logs the envelope, {@code simple} only its id and size. */
    public static String proxyLogLevel() {
        return string(PROXY + "log.level", "full");
    }

    /** The largest envelope Proxy1 accepts, in bytes. */
    public static int maxEnvelopeBytes() {
        return positiveInt(PROXY + "max.envelope.bytes", 1024 * 1024);
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

    static int nonNegativeInt(String name, int defaultValue) {
        return integer(name, defaultValue, 0, "0 or a positive integer");
    }

    static double decimal(String name, double defaultValue, double min, double max) {
        String value = System.getProperty(name);
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

    static boolean bool(String name, boolean defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "enabled", "yes" -> true;
            case "false", "disabled", "no" -> false;
            default -> throw new IllegalStateException("System property " + name + " must be true or false, but is '" + value + "'");
        };
    }

    static String string(String name, String defaultValue) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    static int positiveInt(String name, int defaultValue) {
        return integer(name, defaultValue, 1, "a positive integer");
    }

    private static int integer(String name, int defaultValue, int min, String expected) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalStateException("System property " + name + " must be " + expected + ", but is '" + value + "'");
    }
}
