package io.surepost.config;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The settings of one concern (forwarding, store, failover, proxy) in force. They are read
 * live, each time they are used, so a change made with jboss-cli takes effect without a
 * redeploy; a value that does not parse or is out of range is never applied: it is reported
 * once at WARN and on the status page, and the last good settings stay in force until it is
 * corrected (the defaults, when no good ones were read yet). One holder per concern and server.
 *
 * @param <T> the concern's validated value object
 */
public abstract class LiveSettings<T> {

    private static final Logger LOG = Logger.getLogger("io.surepost.config");

    private final String concern;
    private final Supplier<T> reader;
    private final Supplier<T> defaults;
    private final AtomicReference<T> lastGood = new AtomicReference<>();
    private final AtomicReference<String> problem = new AtomicReference<>("");

    /**
     * @param concern  how log lines name the concern, e.g. "Forwarding"
     * @param reader   reads every setting of the concern now; throws {@link IllegalStateException} naming a bad one
     * @param defaults every setting of the concern at its default
     */
    protected LiveSettings(String concern, Supplier<T> reader, Supplier<T> defaults) {
        this.concern = concern;
        this.reader = reader;
        this.defaults = defaults;
    }

    /** The settings to apply now. */
    public T current() {
        try {
            T settings = reader.get();
            lastGood.set(settings);
            if (!problem.get().isEmpty() && !problem.getAndSet("").isEmpty()) {
                LOG.infof("%s settings are valid again; they apply from now on", concern);
            }
            return settings;
        } catch (IllegalStateException e) {
            T fallback = lastGood.get();
            if (!e.getMessage().equals(problem.getAndSet(e.getMessage()))) {
                LOG.warnf("%s setting refused: %s. %s", concern, e.getMessage(), fallback == null
                        ? "No valid settings were read before: the defaults apply until it is corrected."
                        : "The last valid settings stay in force until it is corrected.");
            }
            if (fallback == null) {
                lastGood.compareAndSet(null, defaults.get());
                fallback = lastGood.get();
            }
            return fallback;
        }
    }

    /** The refused setting, or empty when all are valid. */
    public String problem() {
        return problem.get();
    }

    /** For the status page: {@code valid}, or what was refused. */
    public String describe() {
        String refused = problem();
        return refused.isEmpty() ? "valid" : "refused, the last valid ones apply: " + refused;
    }
}
