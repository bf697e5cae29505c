package io.surepost.benchmark.camel;

import java.nio.file.Path;

/**
 * The Camel peer's settings: system properties ({@code -Dpeer.…}), each with a default except
 * the broker password. {@link #describe()} is the startup line (no passwords).
 *
 * @param httpHost            {@code peer.http.host}: the address the embedded HTTP server binds
 * @param httpPort            {@code peer.http.port}: its port ({@code /services/Proxy1}, {@code /control/…})
 * @param httpWorkers         {@code peer.http.workers}: Vert.x worker threads, which run the routes of HTTP requests
 * @param brokerUrl           {@code peer.broker.url}: the Artemis core URL
 * @param brokerUser          {@code peer.broker.user}
 * @param brokerPassword      {@code peer.broker.password} (required)
 * @param brokerConnections   {@code peer.broker.connections}: connections of the pooled connection factory
 * @param breakerTimeoutMillis {@code peer.breaker.timeout}: the circuit breaker's time limit on a send (ms)
 * @param jdbcUrl             {@code peer.jdbc.url}: H2 ({@code jdbc:h2:…}) or PostgreSQL ({@code jdbc:postgresql:…})
 * @param jdbcUser            {@code peer.jdbc.user}
 * @param jdbcPassword        {@code peer.jdbc.password}
 * @param jdbcPoolSize        {@code peer.jdbc.pool}: HikariCP's fixed pool size
 * @param jdbcSync            {@code peer.jdbc.sync}: on H2, a {@code CHECKPOINT SYNC} after each failover or
 *                            dead-letter insert, so that the row is on disk before anyone is told (Surepost's
 *                            durability); ignored on PostgreSQL, whose commit is durable by itself
 * @param backendUrl          {@code peer.backend.url}: where the forwarder POSTs the envelopes
 * @param forwardingConsumers {@code peer.forwarding.consumers}: concurrent consumers of Original
 * @param forwardingAutostart {@code peer.forwarding.autostart}: whether the forwarder starts with the peer
 */
public record PeerSettings(String httpHost, int httpPort, int httpWorkers,
                           String brokerUrl, String brokerUser, String brokerPassword, int brokerConnections,
                           int breakerTimeoutMillis,
                           String jdbcUrl, String jdbcUser, String jdbcPassword, int jdbcPoolSize, boolean jdbcSync,
                           String backendUrl, int forwardingConsumers, boolean forwardingAutostart) {

    /** Surepost's default store URL (server-config's configure-datasource.cli), in a directory of the peer's own. */
    static final String DEFAULT_JDBC_URL = "jdbc:h2:file:"
            + Path.of(System.getProperty("java.io.tmpdir"), "surepost-camel-peer", "peer").toAbsolutePath()
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";

    public static PeerSettings fromSystemProperties() {
        String password = System.getProperty("peer.broker.password");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("peer.broker.password is required (-Dpeer.broker.password=...)");
        }
        return new PeerSettings(
                text("peer.http.host", "127.0.0.1"),
                number("peer.http.port", 8090),
                number("peer.http.workers", 64),
                text("peer.broker.url", "tcp://127.0.0.1:61616"),
                text("peer.broker.user", "surepost"),
                password,
                number("peer.broker.connections", 8),
                number("peer.breaker.timeout", 3000),
                text("peer.jdbc.url", DEFAULT_JDBC_URL),
                text("peer.jdbc.user", "sa"),
                text("peer.jdbc.password", "sa"),
                number("peer.jdbc.pool", 40),
                Boolean.parseBoolean(text("peer.jdbc.sync", "true")),
                text("peer.backend.url", "http://127.0.0.1:9300/noop"),
                number("peer.forwarding.consumers", 4),
                Boolean.parseBoolean(text("peer.forwarding.autostart", "false")));
    }

    /** Whether the database is H2 (else PostgreSQL): it decides the column types and the sync. */
    public boolean h2() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    /** Whether an insert is followed by H2's CHECKPOINT SYNC. */
    public boolean syncAfterInsert() {
        return jdbcSync && h2();
    }

    public String describe() {
        return "Camel peer on http://" + httpHost + ":" + httpPort + " (" + httpWorkers + " HTTP workers); broker "
                + brokerUrl + " as " + brokerUser + " (" + brokerConnections + " pooled connections, breaker timeout "
                + breakerTimeoutMillis + " ms); database " + jdbcUrl + " as " + jdbcUser + " (pool " + jdbcPoolSize
                + ", sync after insert " + syncAfterInsert() + "); backend " + backendUrl + "; forwarding consumers "
                + forwardingConsumers + ", autostart " + forwardingAutostart;
    }

    private static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int number(String name, int fallback) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, but is '" + value + "'");
    }
}
