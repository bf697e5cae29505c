package io.surepost.forwarding;

import io.surepost.config.LiveSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The forwarding settings in force, read live for each message; a value that does not parse
 * (a typo in {@code target.endpoint}, a word in a numeric setting) is never applied to a
 * message ({@link LiveSettings}).
 */
@ApplicationScoped
public class ForwardingConfiguration extends LiveSettings<ForwardingSettings> {

    public ForwardingConfiguration() {
        this(ForwardingSettings::read);
    }

    ForwardingConfiguration(Supplier<ForwardingSettings> reader) {
        this("Forwarding", reader);
    }

    private ForwardingConfiguration(String concern, Supplier<ForwardingSettings> reader) {
        super(concern, reader, ForwardingSettings::defaults);
    }

    /** The SecondForwardingProcessor's settings (topic layout), a holder of their own ({@link Processors} keeps it). */
    static ForwardingConfiguration second() {
        return new ForwardingConfiguration("SecondForwardingProcessor", ForwardingSettings::readSecond);
    }

    @PostConstruct
    void readAtStart() {
        current();
    }
}
