package io.surepost.mediation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The order-preserving mode's gate (opt-in, {@code surepost.store.preserve.order}). While
 * the failover store holds rows, new messages go there too, behind them. The store mediator
 * decides under the read lock; the failover processor moves the last rows and opens the
 * gate under the write lock, so no new message can overtake a row being moved. The order
 * is per server (per node), as the design says. One gate per server.
 */
@ApplicationScoped
public class FailoverGate {

    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);
    /** Whether the failover store may hold rows; true until the processor has looked. */
    private volatile boolean rowsWaiting = true;

    /** The store mediator holds this while it decides where a message goes and stores it. */
    public java.util.concurrent.locks.Lock decision() {
        return lock.readLock();
    }

    /** The failover processor holds this while it moves the last rows and opens the gate. */
    public java.util.concurrent.locks.Lock drain() {
        return lock.writeLock();
    }

    public boolean rowsWaiting() {
        return rowsWaiting;
    }

    /** A message went to the failover store. */
    public void rowStored() {
        rowsWaiting = true;
    }

    /** The failover store is empty (call under {@link #drain()}). */
    public void drained() {
        rowsWaiting = false;
    }
}
