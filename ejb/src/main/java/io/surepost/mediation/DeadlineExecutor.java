package io.surepost.mediation;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs a blocking call on a thread of its own and waits for it no longer than a deadline, so
 * a request never waits longer than that, whatever the call does. Used for the failover
 * store's write: a database that stalls holds its caller without end. (The sends to the broker
 * have lanes of their own, {@link GroupCommit}, under the same deadline protocol: a broker that
 * is stalled, whose replies are lost, or that withholds producer credits blocks the Artemis
 * client, and its {@code call-timeout} does not cover every one of those waits.)
 * <p>
 * A call that misses its deadline goes on in the background until it ends on its own; its
 * caller has moved on. A call with a point of no return ({@link Call}: the send of a message,
 * once a connection is there) asks before it passes that point, and a call whose caller has
 * already given up stops there: so a send that waited past its deadline for a connection (a
 * broker that was down and came back, a pool that was exhausted) never lands on the broker
 * after its client was answered from the failover store, and the caller knows it
 * ({@link Missed#started()}). Calls run in lanes, one per store, so a
 * store that stops answering cannot take the threads of another. At most {@link #MAX_CALLS}
 * calls run at once in a lane: when all are taken (a database frozen for minutes), a new call in that lane is refused at once. One per server.
 */
@ApplicationScoped
public class DeadlineExecutor {

    /** Calls that may run at once; more than the HTTP worker threads that could make them. */
    static final int MAX_CALLS = 128;

    /** The stores a call waits on, each with threads of its own. */
    public enum Lane { FAILOVER_STORE }

    @Resource
    private ManagedThreadFactory threads;

    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);

    public DeadlineExecutor() {
        // the container injects the thread factory
    }

    /** Outside a container (tests): threads from {@code threads}. */
    DeadlineExecutor(ManagedThreadFactory threads) {
        this.threads = threads;
    }

    @PostConstruct
    void start() {
        for (Lane lane : Lane.values()) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_CALLS, MAX_CALLS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
                    new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            pools.put(lane, pool);
        }
    }

    @PreDestroy
    void stop() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }

    /** A call with a point of no return. */
    public interface Call {
        /**
         * @param proceed asked once, just before the point of no return: true if the caller
         *                still waits (from then on the call counts as started), false if it
         *                gave up (the call must stop there, having done nothing)
         */
        void run(BooleanSupplier proceed);
    }

    /** The deadline passed; {@link #started()}: whether the call had passed its point of no return by then. */
    public static final class Missed extends TimeoutException {
        private static final long serialVersionUID = 1L;
        private final boolean started;

        Missed(boolean started) {
            super(started ? "the call did not end in time" : "the call had not started when its deadline passed; it never will");
            this.started = started;
        }

        public boolean started() {
            return started;
        }
    }

    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    /**
     * Runs {@code call} and waits for it at most {@code deadlineMillis}.
     *
     * @throws Missed                     the call did not end in time (it goes on, if it had started)
     * @throws RejectedExecutionException {@link #MAX_CALLS} calls are still running in the lane
     * @throws RuntimeException           what the call threw
     */
    public void run(Lane lane, Runnable call, long deadlineMillis) throws Missed {
        run(lane, proceed -> {
            if (proceed.getAsBoolean()) {
                call.run();
            }
        }, deadlineMillis);
    }

    /** Runs {@code call} as {@link #run(Lane, Runnable, long)} does; a call not started by its deadline never starts. */
    public void run(Lane lane, Call call, long deadlineMillis) throws Missed {
        AtomicInteger phase = new AtomicInteger(WAITING);
        BooleanSupplier proceed = () -> phase.compareAndSet(WAITING, STARTED) || phase.get() == STARTED;
        Future<?> running = pools.get(lane).submit(() -> call.run(proceed));
        try {
            running.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Missed(!phase.compareAndSet(WAITING, ABANDONED));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Missed(!phase.compareAndSet(WAITING, ABANDONED));
        }
    }

    /** Calls running now in this lane (those past their deadline included). */
    public int running(Lane lane) {
        return pools.get(lane).getActiveCount();
    }
}
