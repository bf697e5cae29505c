package io.surepost.store;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * The processors' shared state ({@code SUREPOST_PROCESSOR}), one row per processor, in the
 * database every node uses. Each call has a transaction of its own.
 */
@Stateless
public class ProcessorStateStore {

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    /** The state last chosen, or empty when nobody has chosen one yet (the processor then runs). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<ProcessorRecord> read(String processor) {
        return Optional.ofNullable(em.find(ProcessorRecord.class, processor));
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void write(String processor, boolean active, String reason, String node) {
        ProcessorRecord record = em.find(ProcessorRecord.class, processor, LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            record = new ProcessorRecord(processor);
            record.change(active, reason, node);
            em.persist(record);
        } else {
            record.change(active, reason, node);
        }
    }
}
