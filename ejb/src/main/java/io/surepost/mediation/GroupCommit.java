package io.surepost.mediation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Group commit for one store: requests that wait at the same time share one transaction.
 * Each caller hands its item over and waits; a few lanes (threads, each with a long-lived
 * transacted session of its own) take whatever is waiting, up to a batch size in items and
 * in bytes, send it all
 * and commit once: one round trip and one journal sync for the batch, where a send per item
 * pays one each. A caller returns only after the commit that holds its item, so the promise
 * is exactly as strong as a blocking send of its own. A lone caller is a batch of one: it
 * waits for nothing but its own commit.
 * <p>
 * The deadline protocol is {@link DeadlineExecutor}'s. An item a lane has not taken when its
 * caller's deadline passes is never sent, and the caller knows nothing was
 * ({@link DeadlineExecutor.Missed#started()} false). What happened to an item a lane took
 * is told by how the batch ended:
 * <ul>
 * <li>committed: the caller returns;</li>
 * <li>{@link NotSent}: the session could not be opened, or a send failed before the commit
 *     was asked (an uncommitted transaction holds nothing once its session is gone): the
 *     store surely does not have the item;</li>
 * <li>{@link Unconfirmed}: the commit failed or its answer was lost: the store may have it.</li>
 * </ul>
 * A session that failed is closed and the next batch opens a new one; a send that fails on a
 * session that had already served a batch (the store restarted since) is tried once more on
 * a fresh session before its items are told. At most {@code maxWaiting} items wait at once:
 * more, and the next caller is refused at once. Plain class: the container bean gives it its
 * threads and sessions ({@link BrokerSenders}).
 *
 * @param <T> what is sent
 */
public final class GroupCommit<T> {

    private static final Logger LOG = Logger.getLogger("io.surepost.mediation");

    /** How long an idle lane waits for work before it looks whether it should stop. */
    private static final long IDLE_POLL_MILLIS = 1000;

    /** One lane's connection to the store: a transacted session. */
    public interface Session<T> {
        /** Sends in the session's transaction. */
        void send(T item) throws Exception;

        /** Commits what was sent; returns once the store has it durably. */
        void commit() throws Exception;

        /** Closes the session; an uncommitted transaction is rolled back. Throws nothing. */
        void close();
    }

    /** Opens sessions for the lanes. */
    @FunctionalInterface
    public interface Sessions<T> {
        /** A new transacted session; throws when the store cannot be reached. */
        Session<T> open() throws Exception;
    }

    /** The store surely does not have the item (see the class comment). */
    public static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean reached;

        NotSent(String message, Throwable cause, boolean reached) {
            super(message, cause);
            this.reached = reached;
        }

        /** Whether a session to the store was open (a send failed), or none could be opened. */
        public boolean reached() {
            return reached;
        }
    }

    /** The store may have the item: its commit failed or was not confirmed. */
    public static final class Unconfirmed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unconfirmed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    /** An item handed over, and how its batch ended. */
    private static final class Pending<T> {
        final T item;
        final AtomicInteger phase = new AtomicInteger(WAITING);
        final CompletableFuture<Void> outcome = new CompletableFuture<>();

        Pending(T item) {
            this.item = item;
        }

        /** A lane takes it; false if its caller gave up first. */
        boolean start() {
            return phase.compareAndSet(WAITING, STARTED);
        }
    }

    private final String name;
    private final Sessions<T> sessions;
    private final int maxBatch;
    private final long maxBatchBytes;
    private final ToIntFunction<T> bytes;
    private final BlockingQueue<Pending<T>> waiting;
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param name       how logs name the store ("broker 1")
     * @param lanes      sessions that commit at the same time
     * @param maxBatch   the most items one commit holds
     * @param maxBatchBytes a batch takes no further item once its items' {@code bytes} reach this
     * @param maxWaiting the most items waiting for a lane at once
     */
    public GroupCommit(String name, Sessions<T> sessions, ThreadFactory threads, int lanes, int maxBatch, long maxBatchBytes,
                       ToIntFunction<T> bytes, int maxWaiting) {
        if (lanes < 1 || maxBatch < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("lanes, batch size and waiting bound must be positive");
        }
        this.name = name;
        this.sessions = sessions;
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
        this.bytes = bytes;
        this.waiting = new ArrayBlockingQueue<>(maxWaiting);
        for (int i = 0; i < lanes; i++) {
            Thread lane = threads.newThread(this::runLane);
            if (lane == null) {
                throw new IllegalStateException("no thread for a sender lane of " + name);
            }
            this.lanes.add(lane);
        }
    }

    public void start() {
        lanes.forEach(Thread::start);
    }

    /** Stops the lanes; items still waiting are told they were not sent. Waits at most {@code millis} for each lane. */
    public void stop(long millis) {
        stopped = true;
        lanes.forEach(Thread::interrupt);
        for (Thread lane : lanes) {
            try {
                lane.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failWaiting(new NotSent("the server is stopping", null, false));
    }

    /** Items waiting for a lane now. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * Sends {@code item} in the next batch and waits at most {@code deadlineMillis} for its commit.
     *
     * @throws DeadlineExecutor.Missed    the deadline passed first; {@code started()}: a lane had taken it
     * @throws RejectedExecutionException {@code maxWaiting} items are waiting already, or the lanes are stopped
     * @throws NotSent                    the store surely does not have it
     * @throws Unconfirmed                the store may have it
     */
    public void send(T item, long deadlineMillis) throws DeadlineExecutor.Missed {
        if (stopped) {
            throw new RejectedExecutionException("the sender lanes of " + name + " are stopped");
        }
        Pending<T> pending = new Pending<>(item);
        if (!waiting.offer(pending)) {
            throw new RejectedExecutionException(name + " has " + waiting.size() + " sends waiting already");
        }
        try {
            pending.outcome.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            giveUp(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(pending);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new Unconfirmed("the batch failed", e.getCause());
        }
    }

    /** The caller's deadline passed: a waiting item is never sent; one already taken may still commit. */
    private static <T> void giveUp(Pending<T> pending) throws DeadlineExecutor.Missed {
        if (pending.phase.compareAndSet(WAITING, ABANDONED)) {
            throw new DeadlineExecutor.Missed(false);
        }
        if (pending.outcome.isDone() && !pending.outcome.isCompletedExceptionally()) {
            return; // committed just as the deadline passed
        }
        throw new DeadlineExecutor.Missed(true);
    }

    private void runLane() {
        Session<T> session = null;
        boolean served = false; // the session has committed a batch already
        List<Pending<T>> batch = new ArrayList<>(maxBatch);
        try {
            while (!stopped) {
                Pending<T> first = waiting.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                long size = bytes.applyAsInt(first.item);
                while (batch.size() < maxBatch && size < maxBatchBytes) {
                    Pending<T> next = waiting.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    size += bytes.applyAsInt(next.item);
                }
                if (session == null) {
                    try {
                        session = sessions.open();
                        served = false;
                    } catch (Exception e) {
                        // No connection: nothing is sent, whether or not a caller still waits
                        NotSent notSent = new NotSent("could not connect to " + name, e, false);
                        batch.forEach(pending -> pending.outcome.completeExceptionally(notSent));
                        continue;
                    }
                }
                List<Pending<T>> started = new ArrayList<>(batch.size());
                for (Pending<T> pending : batch) {
                    if (pending.start()) {
                        started.add(pending);
                    }
                }
                if (started.isEmpty()) {
                    continue;
                }
                Exception failure = sendAll(session, started);
                if (failure != null && served) {
                    // A session that served batches before may have died since (the store restarted):
                    // nothing of this batch was committed, so it goes once more on a fresh session
                    LOG.debugf("A sender lane of %s reopens its session: %s", name, failure);
                    session.close();
                    session = null;
                    try {
                        session = sessions.open();
                        served = false;
                        failure = sendAll(session, started);
                    } catch (Exception e) {
                        failure = e;
                    }
                }
                if (failure == null) {
                    try {
                        session.commit();
                        served = true;
                        started.forEach(pending -> pending.outcome.complete(null));
                        continue;
                    } catch (Exception e) {
                        Unconfirmed unconfirmed = new Unconfirmed(name + " did not confirm the commit of " + started.size()
                                + " message(s)", e);
                        started.forEach(pending -> pending.outcome.completeExceptionally(unconfirmed));
                    }
                } else {
                    NotSent notSent = new NotSent(name + " did not take the send of " + started.size()
                            + " message(s); nothing was committed", failure, true);
                    started.forEach(pending -> pending.outcome.completeExceptionally(notSent));
                }
                if (session != null) {
                    session.close();
                    session = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            NotSent stopping = new NotSent("the server is stopping", null, false);
            batch.forEach(pending -> pending.outcome.completeExceptionally(stopping)); // no effect on those already told
            if (session != null) {
                session.close();
            }
        }
    }

    /** Sends every item of the batch in the session's transaction; returns the failure, or null. */
    private static <T> Exception sendAll(Session<T> session, List<Pending<T>> started) {
        try {
            for (Pending<T> pending : started) {
                session.send(pending.item);
            }
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private void failWaiting(RuntimeException why) {
        List<Pending<T>> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(pending -> pending.outcome.completeExceptionally(why));
    }
}
