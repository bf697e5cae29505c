package io.surepost.store;

import io.surepost.journey.JourneyEvent;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * The journeys of messages ({@code SUREPOST_JOURNEY}, mapped by {@link JourneyRecord}, which
 * Hibernate's schema update creates): written in batches, read by message id, purged by age.
 * <p>
 * Writing is plain JDBC, one batched INSERT per call, with the keys taken from
 * {@code SUREPOST_JOURNEY_SEQ} a block at a time: the writer works for every accepted
 * message, and this (with one row per acceptance) took the journey's cost from 8 % of ingest
 * to about 3 % (docs/performance.md, "What the journey costs"). Hibernate does not insert
 * journey rows, so the two never share a key block.
 */
@Stateless
public class JourneyStore {

    /** Keys per value of SUREPOST_JOURNEY_SEQ: its INCREMENT BY, as {@link JourneyRecord}'s allocationSize made it. */
    static final int KEY_BLOCK = JourneyRecord.ALLOCATION_SIZE;

    private static final String INSERT = "insert into SUREPOST_JOURNEY (SEQUENCE_NO, MESSAGE_ID, AT, EVENT, NODE, STATUS, DURATION_MILLIS, DETAIL)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?)";

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    @Resource(lookup = "java:jboss/datasources/SurepostDS")
    private DataSource dataSource;

    /** Stores the events, in one transaction of their own. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void write(List<JourneyEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            KeyBlocks keys = new KeyBlocks(connection);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (JourneyEvent event : events) {
                    insert.setLong(1, keys.next());
                    insert.setString(2, event.messageId());
                    insert.setObject(3, event.at().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                    insert.setString(4, event.event());
                    insert.setString(5, event.node());
                    insert.setInt(6, event.status());
                    insert.setLong(7, event.durationMillis());
                    insert.setString(8, StoredEnvelope.truncate(event.detail()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the journey's rows were not written: " + e.getMessage(), e);
        }
    }

    /** Keys from SUREPOST_JOURNEY_SEQ: each value {@code v} it gives is the block {@code v .. v + KEY_BLOCK - 1}. */
    private static final class KeyBlocks {
        private final Connection connection;
        private final String nextValue;
        private long next;
        private long end;

        KeyBlocks(Connection connection) throws SQLException {
            this.connection = connection;
            this.nextValue = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
                    ? "select nextval('SUREPOST_JOURNEY_SEQ')"
                    : "select next value for SUREPOST_JOURNEY_SEQ";
        }

        long next() throws SQLException {
            if (next == end) {
                try (Statement statement = connection.createStatement(); ResultSet value = statement.executeQuery(nextValue)) {
                    value.next();
                    next = value.getLong(1);
                    end = next + KEY_BLOCK;
                }
            }
            return next++;
        }
    }

    /**
     * The message's events in the order they happened (as the nodes' clocks and the write order
     * say), an acceptance unfolded into its two steps ({@link JourneyEvent#unfolded}).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<JourneyEvent> of(String messageId) {
        return em.createQuery("select r from JourneyRecord r where r.messageId = :id order by r.at, r.sequence", JourneyRecord.class)
                .setParameter("id", messageId)
                .getResultList().stream().map(JourneyRecord::toEvent).flatMap(event -> event.unfolded().stream()).toList();
    }

    /** Deletes up to {@code max} events older than {@code cutoff}; returns how many went. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int purge(Instant cutoff, int max) {
        List<Long> old = em.createQuery("select r.sequence from JourneyRecord r where r.at < :cutoff", Long.class)
                .setParameter("cutoff", cutoff).setMaxResults(max).getResultList();
        if (old.isEmpty()) {
            return 0;
        }
        return em.createQuery("delete from JourneyRecord r where r.sequence in :old").setParameter("old", old).executeUpdate();
    }
}
