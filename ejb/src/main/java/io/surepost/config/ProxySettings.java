package io.surepost.config;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The Proxy1 endpoint's settings, read together and checked before a request sees them
 * ({@link ProxyConfiguration}).
 *
 * @param logFull                the seed's {@code <log level="full"/>}: {@code full} logs the envelope, {@code simple} only its id and size
 * @param maxEnvelopeBytes       the largest envelope accepted
 * @param requestBodyTimeoutMillis the longest a client may take to send a request body; then a 408 fault
 */
public record ProxySettings(boolean logFull, int maxEnvelopeBytes, long requestBodyTimeoutMillis) {

    public static ProxySettings read() {
        return read(System::getProperty);
    }

    public static ProxySettings defaults() {
        return read(name -> null);
    }

    static ProxySettings read(UnaryOperator<String> properties) {
        String p = Settings.PROXY;
        String level = Settings.orDefault(properties.apply(p + "log.level"), "full").toLowerCase(Locale.ROOT);
        if (!level.equals("full") && !level.equals("simple")) {
            throw new IllegalStateException("System property " + p + "log.level must be full or simple, but is '" + level + "'");
        }
        return new ProxySettings(level.equals("full"),
                Settings.positiveInt(p + "max.envelope.bytes", properties.apply(p + "max.envelope.bytes"), 1024 * 1024),
                Settings.positiveInt(p + "request.timeout", properties.apply(p + "request.timeout"), 10_000));
    }
}
