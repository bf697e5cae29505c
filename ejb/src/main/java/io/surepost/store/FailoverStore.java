package io.surepost.store;

import io.surepost.config.FailoverConfiguration;
import io.surepost.message.SoapMessage;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The seed's failover message store, made durable: the {@code SUREPOST_FAILOVER} table
 * (H2 by default, PostgreSQL in production). Every write commits in a transaction of its
 * own, so a caller that gets no exception knows the row is on disk.
 */
@Stateless
public class FailoverStore {

    private static final Logger LOG = Logger.getLogger("io.surepost.store");

    /** Hibernate's lock timeout value for SKIP LOCKED: rows another node is moving are passed over. */
    private static final int SKIP_LOCKED = -2;

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    @Inject
    private FailoverConfiguration configuration;

    /**
     * The node a row's {@code STORED_ON} names ({@code node} or {@code node#k}), in JPQL over
     * {@code r} and in SQL.
     */
    private static final String NODE_OF = "(case when locate('#', r.storedOn) > 0"
            + " then substring(r.storedOn, 1, locate('#', r.storedOn) - 1) else r.storedOn end)";
    static final String NODE_OF_SQL = "(case when position('#' in STORED_ON) > 0"
            + " then substring(STORED_ON from 1 for position('#' in STORED_ON) - 1) else STORED_ON end)";

    /**
     * The rows a move to one broker of this node's list may take: the ones this node stored for
     * that broker ({@link #owner}) or for no broker; this node's rows kept for another broker of
     * its list once they are older than {@code failover.takeover.delay} (that broker may be
     * gone for good); and the rows of a node that is gone (its heartbeat silent for the delay,
     * see io.surepost.cluster.ClusterMembers). A live node's rows are never another's, however
     * long its move of them takes. As JPQL over {@code r}, and as SQL; {@link #claimable} sets
     * their parameters.
     */
    private static final String CLAIMABLE = "(r.storedOn = :owner or r.storedOn is null or " + NODE_OF + " in :gone"
            + " or (" + NODE_OF + " = :node and r.storedAt < :cutoff))";
    private static final String CLAIMABLE_SQL = "(STORED_ON = :owner or STORED_ON is null or " + NODE_OF_SQL + " in (:gone)"
            + " or (" + NODE_OF_SQL + " = :node and STORED_AT < :cutoff))";

    /**
     * Stands in for "no node" in {@code :gone}, which an empty list cannot bind; no row's node
     * has this name, since {@link #NODE_OF} ends at the first '#'.
     */
    private static final String NO_NODE = "#";

    /** This node's name in the rows it stores (WildFly's jboss.node.name: the host name unless set). */
    public static String node() {
        return System.getProperty("jboss.node.name", "");
    }

    /**
     * Whose a row is until the takeover delay has passed: this node's, for broker
     * {@code route} of its list (1: the first). A row stored after a send to broker 2 failed
     * on the way (broker 2 may hold the message) is {@code node#2}: only a move to broker 2,
     * whose duplicate detection knows the message, takes it before then. Rows for the first
     * broker carry the node's name alone.
     */
    static String owner(int route) {
        return route <= 1 ? node() : node() + "#" + route;
    }

    /** This node's rows kept for one broker of its list, stored before this instant, may go to any. */
    private Instant takeoverCutoff() {
        return Instant.now().minusMillis(configuration.current().takeoverDelayMillis());
    }

    /** Binds the parameters of {@link #CLAIMABLE} (or its SQL twin) in {@code query}; {@code gone}: the nodes gone. */
    private static <Q extends Query> Q claimable(Q query, int route, Instant cutoff, Set<String> gone) {
        query.setParameter("owner", owner(route)).setParameter("node", node()).setParameter("cutoff", cutoff)
                .setParameter("gone", gone(gone));
        return query;
    }

    private static List<String> gone(Set<String> gone) {
        return gone.isEmpty() ? List.of(NO_NODE) : List.copyOf(gone);
    }

    /**
     * Stores the message; returns once the row is committed. {@code route}: the broker of this
     * node's list that may hold the message (a send to it failed on the way), 1 when none may.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void store(SoapMessage message, String targetStore, String reason, int route) {
        em.persist(new FailoverRecord(message, targetStore, reason, owner(route)));
        em.flush();
        LOG.debugf("Message %s written to the failover store (%s)", message.id(), reason);
    }

    /** Rows waiting. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long count() {
        return em.createQuery("select count(r) from FailoverRecord r", Long.class).getSingleResult();
    }

    /** A page of the rows waiting, oldest first; {@code page} counts from 0. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<FailoverRecord> page(int page, int size) {
        return em.createQuery("select r from FailoverRecord r order by r.storedAt, r.sequence", FailoverRecord.class)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public java.util.Optional<FailoverRecord> find(long sequence) {
        return java.util.Optional.ofNullable(em.find(FailoverRecord.class, sequence));
    }

    /** Whether a row for this message waits in the table. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean holds(String messageId) {
        return !em.createQuery("select r.sequence from FailoverRecord r where r.message.messageId = :id", Long.class)
                .setParameter("id", messageId).setMaxResults(1).getResultList().isEmpty();
    }

    /** Depth and the oldest's age only: no scan of the envelopes (the metrics' gauges read it every few seconds). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public StoreFigures depthAndAge() {
        Object[] row = em.createQuery("select count(r), min(r.storedAt) from FailoverRecord r", Object[].class).getSingleResult();
        return StoreFigures.of((Number) row[0], (java.time.Instant) row[1], -1);
    }

    /** The table's depth, the age of its oldest row and the bytes of its envelopes. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public StoreFigures figures() {
        Object[] row = em.createQuery("select count(r), min(r.storedAt) from FailoverRecord r", Object[].class).getSingleResult();
        Number bytes = (Number) em.createNativeQuery("select coalesce(sum(octet_length(ENVELOPE)), 0) from SUREPOST_FAILOVER")
                .getSingleResult();
        return StoreFigures.of((Number) row[0], (Instant) row[1], bytes);
    }

    /** Rows waiting that this node may move, now or later, to one broker of its list or another; {@code gone}: the nodes gone. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long countClaimable(Set<String> gone) {
        return em.createQuery("select count(r) from FailoverRecord r where (r.storedOn is null or " + NODE_OF + " = :node"
                        + " or " + NODE_OF + " in :gone)", Long.class)
                .setParameter("node", node())
                .setParameter("gone", gone(gone))
                .getSingleResult();
    }

    /** Rows claimed for a move, and whether more may be waiting behind them. */
    public record Claim(List<FailoverRecord> rows, boolean more) {
    }

    /**
     * The oldest rows a move to broker {@code route} of this node's list (1: the first) may
     * take, at most {@code maxRows} and (but for the first) at most {@code maxBytes}
     * of envelopes, locked for the caller's transaction ({@code FOR UPDATE SKIP LOCKED}) and
     * loaded read-only (no snapshot copies of the envelopes): a batch of large envelopes
     * stays within the heap. Must be called inside the transaction that moves and deletes them.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public Claim claimOldest(int route, int maxRows, long maxBytes, Set<String> gone) {
        Instant cutoff = takeoverCutoff(); // one for both queries: the claimed rows are the ones sized
        @SuppressWarnings("unchecked")
        List<Object[]> sizes = claimable(em.createNativeQuery("select SEQUENCE_NO, octet_length(ENVELOPE) from SUREPOST_FAILOVER"
                        + " where " + CLAIMABLE_SQL + " order by SEQUENCE_NO"), route, cutoff, gone)
                .setMaxResults(maxRows)
                .getResultList();
        long bytes = 0;
        int rows = 0;
        long last = 0;
        for (Object[] row : sizes) {
            long size = ((Number) row[1]).longValue();
            if (rows > 0 && bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            rows++;
            last = ((Number) row[0]).longValue();
        }
        if (rows == 0) {
            return new Claim(List.of(), false);
        }
        List<FailoverRecord> claimed = claimable(em.createQuery("select r from FailoverRecord r where r.sequence <= :last and "
                        + CLAIMABLE + " order by r.sequence", FailoverRecord.class), route, cutoff, gone)
                .setParameter("last", last)
                .setMaxResults(rows)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setHint("org.hibernate.readOnly", true)
                .getResultList();
        return new Claim(claimed, rows < sizes.size() || sizes.size() == maxRows);
    }

    /** The insertion sequences of the oldest rows a move to broker {@code route} may take, without locking them. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Long> oldest(int route, int max, Set<String> gone) {
        return claimable(em.createQuery("select r.sequence from FailoverRecord r where " + CLAIMABLE + " order by r.sequence",
                        Long.class), route, takeoverCutoff(), gone)
                .setMaxResults(max)
                .getResultList();
    }

    /**
     * One row, locked for the caller's transaction, or null when it is gone or another
     * transaction (another node's move) holds it ({@code FOR UPDATE SKIP LOCKED}).
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public FailoverRecord claim(long sequence) {
        return em.createQuery("select r from FailoverRecord r where r.sequence = :sequence", FailoverRecord.class)
                .setParameter("sequence", sequence)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultStream().findFirst().orElse(null);
    }

    /**
     * Counts a failed move of one row.
     *
     * @return whether it has now failed {@code maxAttempts} times or more
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean recordFailedMove(long sequence, String error, int maxAttempts) {
        em.createQuery("update FailoverRecord r set r.attempts = r.attempts + 1, r.lastError = :error where r.sequence = :sequence")
                .setParameter("error", StoredEnvelope.truncate(error))
                .setParameter("sequence", sequence)
                .executeUpdate();
        return !em.createQuery("select r.sequence from FailoverRecord r where r.sequence = :sequence and r.attempts >= :max", Long.class)
                .setParameter("sequence", sequence)
                .setParameter("max", maxAttempts)
                .getResultList().isEmpty();
    }

    /** Deletes the rows (claimed by the caller's transaction) in one statement. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void delete(List<FailoverRecord> records) {
        em.createQuery("delete from FailoverRecord r where r.sequence in :sequences")
                .setParameter("sequences", records.stream().map(FailoverRecord::getSequence).toList())
                .executeUpdate();
    }

    /**
     * Counts a failed move against the oldest rows (the ones the failed batch held) with one
     * UPDATE, without loading their envelopes: this runs on every failed attempt while the
     * broker is away, next to a busy ingest.
     *
     * @return the ids of those rows that have now failed {@code maxAttempts} times or more
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> recordFailedMove(int batch, String error, int maxAttempts, Set<String> gone) {
        List<Long> oldest = oldest(1, batch, gone);
        if (oldest.isEmpty()) {
            return List.of();
        }
        em.createQuery("update FailoverRecord r set r.attempts = r.attempts + 1, r.lastError = :error where r.sequence in :sequences")
                .setParameter("error", StoredEnvelope.truncate(error))
                .setParameter("sequences", oldest)
                .executeUpdate();
        return em.createQuery("select r.message.messageId from FailoverRecord r where r.sequence in :sequences"
                        + " and r.attempts >= :max order by r.sequence", String.class)
                .setParameter("sequences", oldest)
                .setParameter("max", maxAttempts)
                .getResultList();
    }
}
