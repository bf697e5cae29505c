package io.surepost.forwarding;

import io.surepost.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The forwarding processor's settings, read together and checked before any message sees
 * them (see {@link ForwardingConfiguration}: a bad value is reported and the last good
 * settings stay in force).
 *
 * @param endpoint        where messages go ({@code target.endpoint}): an absolute http or https URL
 * @param soapAction      the SOAPAction sent with them
 * @param policy          attempts, drop, non-retry statuses and back-off
 * @param intervalMillis  the seed's {@code interval}: a pause after each delivery (0 = none)
 * @param httpTimeout     one deadline for a whole exchange with the backend: connect, headers and body
 * @param retryInPlace    the order-preserving mode ({@code surepost.store.preserve.order}): a failed
 *                        delivery is tried again inside its consuming transaction, after the
 *                        back-off, so the messages behind it wait ({@link Forwarder}); never
 *                        re-queued behind them
 */
public record ForwardingSettings(URI endpoint, String soapAction, ForwardingPolicy.Parameters policy,
                                 long intervalMillis, Duration httpTimeout, boolean retryInPlace) {

    /**
     * In the order-preserving mode a message's whole retry schedule runs in its one consuming
     * transaction ({@link #TRANSACTION_TIMEOUT_SECONDS}); its worst case must stay below this,
     * leaving time for the work after the last attempt.
     */
    public static final long MAX_IN_PLACE_SCHEDULE_MILLIS = 130_000;

    /**
     * The longest {@code http.timeout}: the forwarding transaction's timeout
     * ({@link #TRANSACTION_TIMEOUT_SECONDS}) must stay above the deadline plus the work after it.
     */
    public static final int MAX_HTTP_TIMEOUT_MILLIS = 100_000;

    /** The ForwardingProcessor's transaction timeout, above every allowed {@code http.timeout}. */
    public static final int TRANSACTION_TIMEOUT_SECONDS = 150;

    /** The most response bytes read from the backend; the rest is not read. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    /** Reads every forwarding setting from the system properties now; throws with a message naming a bad one. */
    public static ForwardingSettings read() {
        return read(System::getProperty);
    }

    /**
     * The SecondForwardingProcessor's settings (topic layout): each
     * {@code surepost.forwarding.second.X} that is set, else the ForwardingProcessor's
     * {@code surepost.forwarding.X}; its own endpoint is {@code surepost.forwarding.second.target.endpoint}.
     */
    public static ForwardingSettings readSecond() {
        return read(secondOverFirst(System::getProperty));
    }

    /** Names {@code surepost.forwarding.X}, answers {@code surepost.forwarding.second.X} when that is set. */
    static UnaryOperator<String> secondOverFirst(UnaryOperator<String> properties) {
        return name -> {
            String own = name.startsWith(Settings.FORWARDING)
                    ? properties.apply(Settings.SECOND_FORWARDING + name.substring(Settings.FORWARDING.length())) : null;
            return own != null ? own : properties.apply(name);
        };
    }

    /** Every forwarding setting at its default (the seed's values). */
    public static ForwardingSettings defaults() {
        return read(name -> null);
    }

    /** Reads every forwarding setting from {@code properties} (null for an unset one). */
    static ForwardingSettings read(UnaryOperator<String> properties) {
        UnaryOperator<String> p = name -> properties.apply(Settings.FORWARDING + name);
        String f = Settings.FORWARDING;
        String order = Settings.STORE + "preserve.order";
        ForwardingSettings settings = new ForwardingSettings(
                endpoint(Settings.orDefault(p.apply("target.endpoint"), Settings.DEFAULT_TARGET_ENDPOINT)),
                Settings.orDefault(p.apply("soap.action"), "urn:getQuote"),
                new ForwardingPolicy.Parameters(
                        Settings.positiveInt(f + "max.delivery.attempts", p.apply("max.delivery.attempts"), 4),
                        Settings.bool(f + "max.delivery.drop", p.apply("max.delivery.drop"), false),
                        statusCodes(Settings.orDefault(p.apply("non.retry.status.codes"), "")),
                        nonRetryIsDelivered(Settings.orDefault(p.apply("non.retry.status.outcome"), "delivered")),
                        Settings.positiveInt(f + "client.retry.interval", p.apply("client.retry.interval"), 1000),
                        Settings.decimal(f + "retry.backoff.multiplier", p.apply("retry.backoff.multiplier"), 1.0, 1.0, 100.0),
                        Settings.positiveInt(f + "retry.backoff.max.delay", p.apply("retry.backoff.max.delay"), 300_000),
                        Settings.decimal(f + "retry.backoff.jitter", p.apply("retry.backoff.jitter"), 0.0, 0.0, 1.0)),
                Settings.nonNegativeInt(f + "interval", p.apply("interval"), 0),
                Duration.ofMillis(Settings.integer(f + "http.timeout", p.apply("http.timeout"), 30_000, 1, MAX_HTTP_TIMEOUT_MILLIS)),
                Settings.bool(order, properties.apply(order), false));
        long schedule = settings.retryInPlace() ? settings.worstRetrySchedule() : 0;
        if (schedule > MAX_IN_PLACE_SCHEDULE_MILLIS) {
            throw new IllegalStateException("With " + order + "=true a message's retries run inside its one transaction, and "
                    + f + "max.delivery.attempts × " + f + "http.timeout plus the back-off between them may take up to "
                    + schedule + " ms, more than " + MAX_IN_PLACE_SCHEDULE_MILLIS + " ms: lower one of them");
        }
        return settings;
    }

    /**
     * The longest a message's attempts and the waits between them may take (every attempt
     * timing out, every wait at its longest); the waits after the 10,000th attempt are not
     * counted (so many attempts are over the limit anyway).
     */
    long worstRetrySchedule() {
        ForwardingPolicy.Parameters policy = policy();
        long total = (long) policy.maxAttempts() * httpTimeout().toMillis();
        for (int attempt = 1; attempt < Math.min(policy.maxAttempts(), 10_000); attempt++) {
            total += ForwardingPolicy.retryDelay(attempt, policy, () -> 1.0);
        }
        return total;
    }

    static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // the message below says what is expected
        }
        throw new IllegalStateException("System property " + Settings.FORWARDING + "target.endpoint must be an http:// or https:// URL"
                + " with a host, but is '" + value + "'");
    }

    static Set<Integer> statusCodes(String value) {
        Set<Integer> codes = new java.util.TreeSet<>();
        for (String code : value.split("[,\\s]+")) {
            if (!code.isBlank()) {
                try {
                    int status = Integer.parseInt(code.trim());
                    if (status >= 100 && status <= 599) {
                        codes.add(status);
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // the message below says what is expected
                }
                throw new IllegalStateException("System property " + Settings.FORWARDING
                        + "non.retry.status.codes must list HTTP status codes (100-599), but holds '" + code + "'");
            }
        }
        return Set.copyOf(codes);
    }

    static boolean nonRetryIsDelivered(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "delivered" -> true;
            case "dead-letter" -> false;
            default -> throw new IllegalStateException("System property " + Settings.FORWARDING
                    + "non.retry.status.outcome must be delivered or dead-letter, but is '" + value + "'");
        };
    }
}
