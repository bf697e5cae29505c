package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The dead-letter store ({@code SUREPOST_DEAD_LETTER}): where the forwarding processor puts
 * a message it gives up on. The write commits in a transaction of its own, before the
 * message is taken off the Original queue; should the message come back (a crash between
 * the two), the write finds its id there, for the same processor, and adds nothing.
 */
@Stateless
public class DeadLetterStore {

    /** The processor of rows that name none (written before there were two). */
    private static final String FIRST_PROCESSOR = "ForwardingProcessor";

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

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
}
