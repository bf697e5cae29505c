package io.surepost.forwarding;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The forwarding settings in force. They are read live for each message; a value that does
 * not parse (a typo in {@code target.endpoint}, a word in a numeric setting) is never applied
 * to a message: it is reported once at WARN and on the status page, and the last good
 * settings stay in force until it is corrected. One holder per server.
 */
@ApplicationScoped
public class ForwardingConfiguration {

    private static final Logger LOG = Logger.getLogger("io.surepost.config");

    private final Supplier<ForwardingSettings> reader;
    private final AtomicReference<ForwardingSettings> lastGood = new AtomicReference<>();
    private final AtomicReference<String> problem = new AtomicReference<>("");

    public ForwardingConfiguration() {
        this(ForwardingSettings::read);
    }

    ForwardingConfiguration(Supplier<ForwardingSettings> reader) {
        this.reader = reader;
    }

    @PostConstruct
    void readAtStart() {
        current();
    }

    /** The settings to apply to the next message. */
    public ForwardingSettings current() {
        try {
            ForwardingSettings settings = reader.get();
            lastGood.set(settings);
            if (!problem.getAndSet("").isEmpty()) {
                LOG.infof("Forwarding settings are valid again; they apply from the next message");
            }
            return settings;
        } catch (IllegalStateException e) {
            ForwardingSettings fallback = lastGood.get();
            if (!e.getMessage().equals(problem.getAndSet(e.getMessage()))) {
                LOG.warnf("Forwarding setting refused: %s. %s", e.getMessage(), fallback == null
                        ? "No valid settings were read before: the defaults apply until it is corrected."
                        : "The last valid settings stay in force until it is corrected.");
            }
            if (fallback == null) {
                fallback = ForwardingSettings.defaults();
                lastGood.compareAndSet(null, fallback);
            }
            return fallback;
        }
    }

    /** The refused setting, or empty when all are valid. */
    public String problem() {
        return problem.get();
    }
}
