package io.surepost.config;

import jakarta.enterprise.context.ApplicationScoped;

/** The proxy settings in force: read live, a bad value reported and never applied ({@link LiveSettings}). */
@ApplicationScoped
public class ProxyConfiguration extends LiveSettings<ProxySettings> {

    public ProxyConfiguration() {
        super("Proxy", ProxySettings::read, ProxySettings::defaults);
    }
}
