package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
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

    /** Stores the message; returns once the row is committed. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void store(SoapMessage message, String targetStore, String reason) {
        em.persist(new FailoverRecord(message, targetStore, reason));
        em.flush();
        LOG.debugf("Message %s written to the failover store", message.id());
    }

    /** Rows waiting. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long count() {
        return em.createQuery("select count(r) from FailoverRecord r", Long.class).getSingleResult();
    }

    /**
     * The oldest rows, locked for the caller's transaction ({@code FOR UPDATE SKIP LOCKED}).
     * Must be called inside the transaction that moves and deletes them.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<FailoverRecord> claimOldest(int max) {
        return em.createQuery("select r from FailoverRecord r order by r.sequence", FailoverRecord.class)
                .setMaxResults(max)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void delete(FailoverRecord record) {
        em.remove(record);
    }

    /** Counts a failed move against the oldest rows (the ones the failed batch held). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<FailoverRecord> recordFailedMove(int batch, String error) {
        List<FailoverRecord> rows = em.createQuery("select r from FailoverRecord r order by r.sequence", FailoverRecord.class)
                .setMaxResults(batch)
                .getResultList();
        rows.forEach(row -> row.failedAttempt(error));
        return rows;
    }
}
