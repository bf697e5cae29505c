package io.surepost.store;

import io.surepost.message.SoapMessage;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The dead-letter store ({@code SUREPOST_DEAD_LETTER}): where the forwarding processor puts
 * a message it gives up on, in the same transaction that takes it off the Original queue.
 */
@Stateless
public class DeadLetterStore {

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void store(SoapMessage message, int attempts, int lastStatus, String reason) {
        em.persist(new DeadLetterRecord(message, attempts, lastStatus, reason));
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long count() {
        return em.createQuery("select count(r) from DeadLetterRecord r", Long.class).getSingleResult();
    }
}
