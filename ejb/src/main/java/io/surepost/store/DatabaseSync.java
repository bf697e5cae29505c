package io.surepost.store;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Makes a committed row durable before anyone is told it is stored: group commit for the
 * embedded database.
 * <p>
 * H2 (the default store) writes a commit to the operating system at once ({@code WRITE_DELAY=0})
 * but forces it to the disk only at a checkpoint: a row would survive kill -9 of WildFly but
 * not a power loss, after its 202 was sent. So after a failover or dead-letter row commits,
 * {@link #awaitDurable()} waits for a {@code CHECKPOINT SYNC} that started after the commit.
 * One sync serves every commit made before it began: concurrent requests share it (a group
 * commit), and a sequential client pays one fsync per message. PostgreSQL's own commit is
 * durable (fsync, synchronous_commit), so there this does nothing.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseSync {

    private static final Logger LOG = Logger.getLogger("io.surepost.store");

    /** The longest a caller waits for a sync; past it, the row counts as not stored durably. */
    private static final long DEADLINE_MILLIS = 10_000;

    @Resource(lookup = "java:jboss/datasources/SurepostDS")
    private DataSource dataSource;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long synced;
    private boolean syncing;
    private volatile Boolean embedded;

    /**
     * Returns once every commit the caller made before this call is on disk.
     *
     * @throws IllegalStateException when the sync failed or did not finish within 10 s
     */
    public void awaitDurable() {
        if (!embedded()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        lock.lock();
        try {
            long ticket = ++requested;
            while (synced < ticket) {
                if (syncing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("the database did not sync its commit to disk within " + DEADLINE_MILLIS + " ms");
                    }
                    done.awaitNanos(left);
                    continue;
                }
                syncing = true;
                long upTo = requested;
                lock.unlock();
                RuntimeException failure = null;
                try {
                    checkpointSync();
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    syncing = false;
                    if (failure == null) {
                        synced = Math.max(synced, upTo);
                    }
                    done.signalAll();
                }
                if (failure != null) {
                    throw failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database to sync");
        } finally {
            lock.unlock();
        }
    }

    private void checkpointSync() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not sync its commits to disk: " + e.getMessage(), e);
        }
    }

    /** Whether the store is the embedded H2, whose commits need the sync. */
    private boolean embedded() {
        Boolean known = embedded;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = connection.getMetaData().getDatabaseProductName().toUpperCase(Locale.ROOT).contains("H2");
            } catch (SQLException e) {
                throw new IllegalStateException("the database cannot be reached: " + e.getMessage(), e);
            }
            embedded = known;
            LOG.infof("Failover and dead-letter stores on %s: %s", known ? "H2" : "a server database",
                    known ? "every acknowledged row is synced to disk (CHECKPOINT SYNC, shared by concurrent commits)"
                            : "the database's own commit is durable");
        }
        return known;
    }
}
