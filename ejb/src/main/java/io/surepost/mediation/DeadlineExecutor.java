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

/**
 * Runs a blocking call on a thread of its own and waits for it no longer than a deadline, so
 * a request never waits longer than that, whatever the call does. Used for the send to the
 * broker: a broker that is stalled, whose replies are lost, or that withholds producer
 * credits (disk full, address full with BLOCK) blocks the Artemis client without end, and the
 * client's {@code call-timeout} does not cover every one of those waits.
 * <p>
 * A call that misses its deadline goes on in the background until it ends on its own; its
 * caller has moved on. Calls run in lanes, one per store (broker sends, failover writes), so a
 * store that stops answering cannot take the threads of the other. At most {@link #MAX_CALLS}
 * calls run at once in a lane: when all are taken (a broker that withholds credits for
 * minutes), a new call in that lane is refused at once. One per server.
 */
@ApplicationScoped
public class DeadlineExecutor {

    /** Calls that may run at once; more than the HTTP worker threads that could make them. */
    static final int MAX_CALLS = 128;

    /** The stores a call waits on, each with threads of its own. */
    public enum Lane { BROKER, FAILOVER_STORE }

    @Resource
    private ManagedThreadFactory threads;

    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);

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

    /**
     * Runs {@code call} and waits for it at most {@code deadlineMillis}.
     *
     * @throws TimeoutException           the call did not end in time (it goes on)
     * @throws RejectedExecutionException {@link #MAX_CALLS} calls are still running in the lane
     * @throws RuntimeException           what the call threw
     */
    public void run(Lane lane, Runnable call, long deadlineMillis) throws TimeoutException {
        Future<?> running = pools.get(lane).submit(call);
        try {
            running.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting");
        }
    }

    /** Calls running now in this lane (those past their deadline included). */
    public int running(Lane lane) {
        return pools.get(lane).getActiveCount();
    }
}
