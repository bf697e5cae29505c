package io.surepost.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server the failover store runs on in the PostgreSQL test runs: the tests'
 * own cluster that {@code ./surepost test-fixtures} starts (database surepost_it),
 * administered the way a DBA would.
 */
public final class PostgreSql {

    public static final String DATABASE = "surepost_it";
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:" + System.getProperty("surepost.test.pg.port", "55432") + "/";
    private static final String ADMIN_URL = SERVER + "postgres";

    private PostgreSql() {
    }

    /** An outage of the failover database: no new connections, existing ones cut. */
    public static void refuseConnections() {
        execute("alter database " + DATABASE + " with allow_connections false",
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + DATABASE + "'");
    }

    /**
     * A database that stalls without closing anything (a hung disk, a frozen VM): SIGSTOP of
     * the tests' PostgreSQL server and every process of it; {@link #thaw()} ends it.
     */
    public static void freeze() {
        signal("STOP");
    }

    public static void thaw() {
        signal("CONT");
    }

    /** Signals the postmaster (it must be there) and its processes (one may have ended meanwhile: no matter). */
    private static void signal(String signal) {
        java.nio.file.Path pidFile = Surepost.state().resolve("postgresql/data/postmaster.pid");
        try {
            long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
            java.util.List<Long> children = ProcessHandle.of(postmaster).orElseThrow().descendants().map(ProcessHandle::pid).toList();
            if (kill(signal, postmaster) != 0) {
                throw new IllegalStateException("kill -" + signal + " of the PostgreSQL server " + postmaster + " failed");
            }
            for (long child : children) {
                kill(signal, child);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot signal PostgreSQL (" + pidFile + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int kill(String signal, long pid) throws java.io.IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) ? kill.exitValue() : -1;
    }

    public static void allowConnections() {
        execute("alter database " + DATABASE + " with allow_connections true");
    }

    /** The JDBC URL of the test database. */
    public static String url() {
        return SERVER + DATABASE;
    }

    /** Rows in the failover table, counted by the database itself. */
    public static long failoverRows() {
        return queryLong(url(), "select count(*) from SUREPOST_FAILOVER");
    }

    /** Rows in the dead-letter store, counted by the database itself. */
    public static long deadLetterRows() {
        return queryLong(url(), "select count(*) from SUREPOST_DEAD_LETTER");
    }

    /** Prepared (in-doubt) XA transactions left in the test database. */
    public static long preparedTransactions() {
        return queryLong(ADMIN_URL, "select count(*) from pg_prepared_xacts where database = '" + DATABASE + "'");
    }

    private static long queryLong(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL query failed: " + sql, e);
        }
    }

    private static void execute(String... sql) {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL administration failed", e);
        }
    }
}
