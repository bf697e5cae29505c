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
