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

    /** Rows moved per transaction. */
    public static int failoverBatchSize() {
        return positiveInt(FAILOVER + "batch.size", 200);
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
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalStateException("System property " + name + " must be a positive integer, but is '" + value + "'");
    }
}
