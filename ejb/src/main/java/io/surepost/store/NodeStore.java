package io.surepost.store;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The nodes' heartbeats ({@link NodeRecord}), each write in a transaction of its own. */
@Stateless
public class NodeStore {

    @PersistenceContext(unitName = "surepost")
    private EntityManager em;

    /** Raises this node's counter, making its row on the first beat. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void beat(String node) {
        int updated = em.createQuery("update NodeRecord n set n.beat = n.beat + 1, n.seenAt = :now where n.name = :name")
                .setParameter("now", Instant.now())
                .setParameter("name", node)
                .executeUpdate();
        if (updated == 0) {
            em.persist(new NodeRecord(node));
        }
    }

    /**
     * Registers, with a counter that never moves, every node named in the failover table that
     * has no heartbeat row: rows stored before nodes beat, or by a node since renamed. Two
     * nodes starting at once may both try; the second fails on the key and changes nothing.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int adoptSilentOwners() {
        return em.createNativeQuery("insert into SUREPOST_NODE (NAME, BEAT, SEEN_AT) select distinct " + FailoverStore.NODE_OF_SQL
                        + ", 0, CURRENT_TIMESTAMP from SUREPOST_FAILOVER where STORED_ON is not null and " + FailoverStore.NODE_OF_SQL
                        + " not in (select NAME from SUREPOST_NODE)")
                .executeUpdate();
    }

    /** Every node's counter, by name. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Map<String, Long> beats() {
        List<Object[]> rows = em.createQuery("select n.name, n.beat from NodeRecord n", Object[].class).getResultList();
        Map<String, Long> beats = new HashMap<>();
        for (Object[] row : rows) {
            beats.put((String) row[0], ((Number) row[1]).longValue());
        }
        return beats;
    }
}
