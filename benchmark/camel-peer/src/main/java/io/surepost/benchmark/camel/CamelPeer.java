package io.surepost.benchmark.camel;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.VertxOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's Camel peer: Surepost's job done the way a Camel user would do it, with
 * Apache Camel 4 (4.18 LTS) on Camel Main (Java DSL, no Spring), against the same broker, the
 * same kind of database and the same no-op backend, so that the benchmark can compare the two.
 * Messages in Original have Surepost's layout (see {@link PeerRoutes}), so either can forward
 * a backlog the other (or the harness) queued.
 * <p>
 * <b>What it does</b> ({@link PeerRoutes}):
 * <ul>
 * <li>{@code ingest}: {@code POST /services/Proxy1} (platform-http on Camel Main's embedded
 * Vert.x server) → a circuit breaker (Resilience4j) around a synchronous persistent JMS send
 * (InOnly, BytesMessage) to the Original queue through a pooled connection factory →
 * {@code 202}. The breaker's fallback inserts the message into {@code peer_failover}
 * (camel-sql) → {@code 202}; when that fails too → {@code 503} with a short text.</li>
 * <li>{@code forwarder}: Original, transacted (a local JMS transaction), N concurrent consumers →
 * {@code POST} to the backend (camel-http, SOAPAction and Content-Type) → commit; a dead-letter
 * channel with 3 redeliveries (1, 2, 4 s) writes what still fails to {@code peer_dead_letter}.
 * It does not start with the peer unless {@code peer.forwarding.autostart=true}: the harness
 * starts and stops it with {@code POST /control/forwarder/start} and {@code /stop}.</li>
 * <li>{@code drain}: a timer, every second, moves up to 1000 failover rows (oldest first) back
 * to Original with camel-sql and a splitter, each sent before it is deleted (at least once; the
 * broker's duplicate detection drops a second copy, as the message id travels as
 * {@code _AMQ_DUPL_ID}); a tick stops at its first failed send.</li>
 * <li>{@code GET /control/health} answers {@code 200 ok} once the Camel context has started.</li>
 * </ul>
 * <b>Durability, the same as Surepost's</b>: the JMS send is persistent and Artemis blocks a
 * durable send until the broker has stored it (its journal syncs), so {@code 202} means on the
 * broker's disk. The failover and dead-letter tables are in the same kind of database as
 * Surepost's: H2 2.2 in a file with {@code WRITE_DELAY=0} (Surepost's default URL) or PostgreSQL.
 * H2 forces its file to the disk only at a checkpoint, so on H2 each insert is followed by a
 * {@code CHECKPOINT SYNC} (Surepost's DatabaseSync does the same, batched across concurrent
 * requests; a Camel route does it per message); PostgreSQL's commit is durable by itself.
 * {@code peer.jdbc.sync=false} leaves the sync out, to measure what it costs.
 * <p>
 * <b>What was tuned</b>, as a Camel user tuning for throughput would, each from a default that
 * would be a bottleneck at 32 concurrent clients:
 * <ul>
 * <li>JMS producer: the Camel JMS documentation's advice, a pooled connection factory
 * (messaginghub pooled-jms, {@code peer.broker.connections}=8 connections, sessions and
 * anonymous producers pooled) instead of a connection, session and producer per send.</li>
 * <li>JMS consumer: {@code transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER},
 * the documented way to a local JMS transaction with cached consumers (a JmsTransactionManager
 * would open a connection and a session per message).</li>
 * <li>HTTP server: Vert.x's worker pool, which runs every platform-http route, raised from 20 to
 * {@code peer.http.workers}=64 threads; request bodies up to 1 MiB (Surepost's max.envelope.bytes).</li>
 * <li>Circuit breaker: its time limit (Surepost's 3 s broker send timeout) runs the send on a thread
 * pool of the same 64 threads (by default the JVM's common fork-join pool: one thread on two cores);
 * window 10 calls, at least 5, open at 50 % failures, half-open after 2 s with one probe.</li>
 * <li>HTTP client (camel-http, HttpClient 5): keep-alive connections pooled, at least two per
 * consumer (its default of 20 per route covers up to 10 consumers); connect timeout 5 s,
 * response timeout 30 s (Surepost's http.timeout).</li>
 * <li>Database: a fixed HikariCP pool of {@code peer.jdbc.pool}=40 connections (32 clients, the
 * drain and the dead-letter channel), waiting at most 5 s for one; inserts with a 5 s query timeout.</li>
 * <li>Logging: WARN for Camel, Vert.x, Artemis and HikariCP (simplelogger.properties); JMX and
 * message history stay off (their Camel Main defaults without camel-management).</li>
 * </ul>
 * Nothing else is tuned: Camel's defaults (stream caching, the default error handler,
 * type conversion) stay as they are, and so do the Artemis client's (its consumer window,
 * which prefetches up to 1 MiB per consumer, and its connect retry: once it has seen the broker,
 * a connect to a broker that is gone takes about 2 s to fail, which the breaker's window absorbs).
 */
public final class CamelPeer {

    static final String DATA_SOURCE = "peerDataSource";

    private static final Logger LOG = LoggerFactory.getLogger("io.surepost.benchmark.camel");

    /** Surepost's Proxy1 limit (surepost.proxy.max.envelope.bytes). */
    private static final long MAX_BODY_BYTES = 1024 * 1024;

    private CamelPeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerSettings settings;
        try {
            settings = PeerSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("Camel peer: " + e.getMessage());
            System.exit(2);
            return;
        }

        HikariDataSource dataSource = dataSource(settings);
        createTables(dataSource, settings);
        JmsPoolConnectionFactory connectionFactory = connectionFactory(settings);

        Main main = new Main();
        main.configure().withName("surepost-camel-peer")
                // a stop (SIGTERM) waits at most 10 s for messages in flight
                .withShutdownTimeout(10);
        main.configure().httpServer()
                .withEnabled(true)
                .withHost(settings.httpHost())
                .withPort(settings.httpPort())
                .withMaxBodySize(MAX_BODY_BYTES);

        main.bind(DATA_SOURCE, dataSource);
        main.bind("jms", JmsComponent.jmsComponent(connectionFactory));
        // The embedded server's Vert.x instance takes its options from the registry
        main.bind("peerVertxOptions", new VertxOptions().setWorkerPoolSize(settings.httpWorkers()));
        main.configure().addRoutesBuilder(new PeerRoutes(settings));

        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                LOG.info(settings.describe());
            }

            @Override
            public void afterStop(BaseMainSupport support) {
                connectionFactory.stop();
                dataSource.close();
            }
        });
        main.run(args);
    }

    private static HikariDataSource dataSource(PeerSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("peer-db");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        // HikariCP's advice: a fixed pool (minimumIdle = maximumPoolSize)
        config.setMaximumPoolSize(settings.jdbcPoolSize());
        config.setMinimumIdle(settings.jdbcPoolSize());
        config.setConnectionTimeout(5000);
        return new HikariDataSource(config);
    }

    /** The two tables, if they are not there yet: H2 and PostgreSQL differ only in the binary type. */
    private static void createTables(HikariDataSource dataSource, PeerSettings settings) throws SQLException {
        // Surepost's envelope column: VARBINARY on H2 (a BLOB costs H2 a separate LOB store), bytea on PostgreSQL
        String binary = settings.h2() ? "varbinary(16777216)" : "bytea";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists peer_failover ("
                    + "id varchar(64) primary key, "
                    + "envelope " + binary + " not null, "
                    + "content_type varchar(255) not null, "
                    + "soap_action varchar(1000), "
                    + "created bigint not null)");
            statement.execute("create index if not exists peer_failover_created on peer_failover (created)");
            statement.execute("create table if not exists peer_dead_letter ("
                    + "seq bigint generated by default as identity primary key, "
                    + "message_id varchar(64), "
                    + "envelope " + binary + ", "
                    + "content_type varchar(255), "
                    + "soap_action varchar(1000), "
                    + "reason varchar(2000), "
                    + "created bigint not null)");
        }
    }

    private static JmsPoolConnectionFactory connectionFactory(PeerSettings settings) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(settings.brokerUrl(),
                settings.brokerUser(), settings.brokerPassword());
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(settings.brokerConnections());
        return pool;
    }
}
