package io.surepost.config;

import jakarta.enterprise.context.ApplicationScoped;

/** The store settings in force: read live, a bad value reported and never applied ({@link LiveSettings}). */
@ApplicationScoped
public class StoreConfiguration extends LiveSettings<StoreSettings> {

    public StoreConfiguration() {
        super("Store", StoreSettings::read, StoreSettings::defaults);
    }
}
