package io.surepost.failover;

import io.surepost.store.FailoverRecord;
import io.surepost.store.FailoverStore;
import io.surepost.store.OriginalStore;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;

/**
 * Moves one batch of failover rows back to the Original queue: claims the oldest rows,
 * sends them (each with its duplicate-detection id) and deletes them, all in one XA
 * transaction over the database and the broker. Either every row of the batch is on the
 * queue and gone from the table, or nothing changed.
 */
@Stateless
public class FailoverMover {

    @EJB
    private FailoverStore failover;

    @EJB
    private OriginalStore original;

    /** @return the ids moved, oldest first; empty when the table is empty */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> moveBatch(int max) {
        List<FailoverRecord> rows = failover.claimOldest(max);
        if (rows.isEmpty()) {
            return List.of();
        }
        original.sendInCurrentTransaction(rows.stream().map(FailoverRecord::toMessage).toList());
        failover.delete(rows);
        return rows.stream().map(FailoverRecord::getMessageId).toList();
    }
}
