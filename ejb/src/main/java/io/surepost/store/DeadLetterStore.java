package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The dead-letter store ({@code SUREPOST_DEAD_LETTER}): where the forwarding processor puts
 * a message it gives up on. The write commits in a transaction of its own, before the
 * message is taken off the Original queue; should the message come back (a crash between
 * the two), the write finds its id there, for the same processor, and adds nothing.
 */
@Stateless
public class DeadLetterStore {

    /** The processor of rows that name none (written before there were two). */
    static final String FIRST_PROCESSOR = "ForwardingProcessor";

    private static final Logger LOG = Logger.getLogger("io.surepost.store");

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    @EJB
    private OriginalStore original;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void store(SoapMessage message, String processor, int attempts, int lastStatus, String reason) {
        boolean known = !em.createQuery("select r.sequence from DeadLetterRecord r where r.message.messageId = :id"
                        + " and coalesce(r.processor, :first) = :processor", Long.class)
                .setParameter("id", message.id())
                .setParameter("first", FIRST_PROCESSOR)
                .setParameter("processor", processor)
                .setMaxResults(1)
                .getResultList().isEmpty();
        if (!known) {
            em.persist(new DeadLetterRecord(message, processor, attempts, lastStatus, reason));
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long count() {
        return em.createQuery("select count(r) from DeadLetterRecord r", Long.class).getSingleResult();
    }

    /** How many dead letters match. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long count(DeadLetterFilter filter) {
        return bind(em.createQuery("select count(r) from DeadLetterRecord r where " + filter.condition(), Long.class), filter)
                .getSingleResult();
    }

    /** A page of the matching dead letters, newest first; {@code page} counts from 0. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<DeadLetterRecord> page(DeadLetterFilter filter, int page, int size) {
        return bind(em.createQuery("select r from DeadLetterRecord r where " + filter.condition()
                        + " order by r.deadLetteredAt desc, r.sequence desc", DeadLetterRecord.class), filter)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
    }

    /** The ids of at most {@code max} matching dead letters, oldest first (the order a retry of all sends them in). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Long> oldestIds(DeadLetterFilter filter, int max) {
        return bind(em.createQuery("select r.sequence from DeadLetterRecord r where " + filter.condition()
                        + " order by r.deadLetteredAt, r.sequence", Long.class), filter)
                .setMaxResults(max)
                .getResultList();
    }

    /** The dead letters of this message (one per processor at most). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<DeadLetterRecord> ofMessage(String messageId) {
        return em.createQuery("select r from DeadLetterRecord r where r.message.messageId = :id order by r.sequence", DeadLetterRecord.class)
                .setParameter("id", messageId).getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<DeadLetterRecord> find(long id) {
        return Optional.ofNullable(em.find(DeadLetterRecord.class, id));
    }

    /** Depth and the oldest's age only: no scan of the envelopes (the metrics' gauges read it every few seconds). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public StoreFigures depthAndAge() {
        Object[] row = em.createQuery("select count(r), min(r.deadLetteredAt) from DeadLetterRecord r", Object[].class).getSingleResult();
        return StoreFigures.of((Number) row[0], (java.time.Instant) row[1], -1);
    }

    /** The store's depth, the time of its oldest dead letter and the bytes of its envelopes. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public StoreFigures figures() {
        Object[] row = em.createQuery("select count(r), min(r.deadLetteredAt) from DeadLetterRecord r", Object[].class)
                .getSingleResult();
        Number bytes = (Number) em.createNativeQuery("select coalesce(sum(octet_length(ENVELOPE)), 0) from SUREPOST_DEAD_LETTER")
                .getSingleResult();
        return StoreFigures.of((Number) row[0], (java.time.Instant) row[1], bytes);
    }

    /** Deletes the dead letter; empty when there is none with this id (any more). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<DeadLetterRecord> delete(long id) {
        DeadLetterRecord record = em.find(DeadLetterRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (record != null) {
            em.remove(record);
        }
        return Optional.ofNullable(record);
    }

    /**
     * Puts the dead letter back on Original with its message id and a fresh attempt count and
     * removes it, in one transaction (the broker and the database, XA): either both happen or
     * neither. The row is locked first, so a second retry of the same dead letter waits, then
     * finds nothing; the send's duplicate-detection id names the row, so even a send the broker
     * took twice is delivered once. In the topic layout it goes back to the subscription of the
     * processor that gave up on it only. Empty when there is no dead letter with this id.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<DeadLetterRecord> retry(long id) {
        DeadLetterRecord record = em.find(DeadLetterRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            return Optional.empty();
        }
        original.replay(record.toMessage(), record.getProcessor(), record.getMessageId() + "#replay-dead-letter-" + id);
        em.remove(record);
        LOG.infof("Message %s: dead letter %d put back on Original for %s", record.getMessageId(), id, record.getProcessor());
        return Optional.of(record);
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> query, DeadLetterFilter filter) {
        filter.parameters().forEach(query::setParameter);
        return query;
    }
}
