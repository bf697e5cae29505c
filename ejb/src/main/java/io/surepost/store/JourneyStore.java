package io.surepost.store;

import io.surepost.journey.JourneyEvent;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/** The journeys of messages ({@code SUREPOST_JOURNEY}): written in batches, read by message id, purged by age. */
@Stateless
public class JourneyStore {

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void write(List<JourneyEvent> events) {
        events.forEach(event -> em.persist(new JourneyRecord(event)));
    }

    /** The message's events in the order they happened (as the nodes' clocks and the write order say). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<JourneyEvent> of(String messageId) {
        return em.createQuery("select r from JourneyRecord r where r.messageId = :id order by r.at, r.sequence", JourneyRecord.class)
                .setParameter("id", messageId)
                .getResultList().stream().map(JourneyRecord::toEvent).toList();
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
