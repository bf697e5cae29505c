package io.surepost.config;

import jakarta.enterprise.context.ApplicationScoped;

/** The failover settings in force: read live, a bad value reported and never applied ({@link LiveSettings}). */
@ApplicationScoped
public class FailoverConfiguration extends LiveSettings<FailoverSettings> {

    public FailoverConfiguration() {
        super("Failover", FailoverSettings::read, FailoverSettings::defaults);
    }
}
