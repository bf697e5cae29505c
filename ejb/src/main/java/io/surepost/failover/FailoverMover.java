package io.surepost.failover;

import io.surepost.cluster.ClusterMembers;
import io.surepost.mediation.BrokerRoutes;
import io.surepost.store.FailoverRecord;
import io.surepost.store.FailoverStore;
import io.surepost.store.OriginalStore;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Moves one batch of failover rows back to the Original queue: claims the oldest rows,
 * sends them (each with its duplicate-detection id) and deletes them, all in one XA
 * transaction over the database and the broker. Either every row of the batch is on the
 * queue and gone from the table, or nothing changed. {@link #moveAlone} moves one row with a
 * send outside the transaction, for a batch the broker refused (see {@link FailoverDrain}).
 */
@Stateless
public class FailoverMover {

    @EJB
    private FailoverStore failover;

    @EJB
    private OriginalStore original;

    @Inject
    private BrokerRoutes routes;

    @EJB
    private ClusterMembers members;

    /**
     * Moves up to {@code maxRows} rows and (but for the first) {@code maxBytes} of envelopes to
     * the broker at {@code route} of the node's list (0: the first).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public FailoverDrain.Batch moveBatch(int route, int maxRows, long maxBytes) {
        FailoverStore.Claim claim = failover.claimOldest(route + 1, maxRows, maxBytes, members.gone());
        List<FailoverRecord> rows = claim.rows();
        if (rows.isEmpty()) {
            return new FailoverDrain.Batch(List.of(), claim.more());
        }
        original.sendInCurrentTransaction(rows, routes.get(route));
        failover.delete(rows);
        return new FailoverDrain.Batch(rows.stream().map(FailoverRecord::getMessageId).toList(), claim.more());
    }

    /**
     * Moves one row on its own: claims it (a lock no other node's move can share), sends it with
     * a durable, non-transacted send, which the broker answers once the message is in its
     * journal and which its duplicate detection turns into a no-op when it already holds the
     * id, and deletes it as the claim commits. A crash between the send and the commit leaves
     * the row, and the next move of it is again a no-op on that broker.
     *
     * @return the row's message id, or null when the row is gone or another node is moving it
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public String moveAlone(int route, long sequence) {
        FailoverRecord row = failover.claim(sequence);
        if (row == null) {
            return null;
        }
        original.sendAlone(row, routes.get(route)); // outside this transaction (NOT_SUPPORTED)
        failover.delete(List.of(row));
        return row.getMessageId();
    }
}
