package io.surepost.config;

/**
 * Where Surepost's settings live and how one value is read. The settings, under the seed's
 * parameter names, are Java system properties read each time they are used, so a change made
 * with jboss-cli ({@code /system-property=surepost.forwarding.max.delivery.attempts:add(value=10)})
 * takes effect without a redeploy; each concern reads its own into a validated value object
 * ({@link StoreSettings}, {@link FailoverSettings}, {@link ProxySettings}, the forwarding
 * processor's {@code ForwardingSettings}) held by a {@link LiveSettings}. Every setting has the
 * seed's value as its default.
 */
public final class Settings {

    /** Prefix of the forwarding processor's properties (the seed's ForwardMessageProcessor). */
    public static final String FORWARDING = "surepost.forwarding.";
    /** The SecondForwardingProcessor's own settings (topic layout); each one unset is the ForwardingProcessor's. */
    public static final String SECOND_FORWARDING = "surepost.forwarding.second.";
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

    // The readers below turn one property's value (null when unset) into a setting, or say
    // what is wrong with it, naming the property.

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
