package io.surepost.mediation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineExecutorTest {

    /** Plain daemon threads, as the container's factory would give. */
    private static final ManagedThreadFactory THREADS = new ManagedThreadFactory() {
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "deadline-test");
            thread.setDaemon(true);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        }
    };

    private final DeadlineExecutor executor = new DeadlineExecutor(THREADS);
    /** Holds a call until the test lets it go on. */
    private final CountDownLatch connected = new CountDownLatch(1);

    DeadlineExecutorTest() {
        executor.start();
    }

    @AfterEach
    void stop() {
        connected.countDown();
        executor.stop();
    }

    @Test
    void aCallThatReachesItsPointOfNoReturnAfterItsCallerGaveUpStopsThereAndTheCallerKnowsNothingStarted() throws Exception {
        AtomicBoolean sent = new AtomicBoolean();
        CountDownLatch asked = new CountDownLatch(1);

        DeadlineExecutor.Missed missed = assertThrows(DeadlineExecutor.Missed.class, () -> executor.run(DeadlineExecutor.Lane.FAILOVER_STORE, proceed -> {
            await(connected); // a connection that comes only after the deadline
            sent.set(proceed.getAsBoolean());
            asked.countDown();
        }, 50));
        connected.countDown();

        assertFalse(missed.started());
        assertTrue(asked.await(10, TimeUnit.SECONDS), "the call went on to its point of no return");
        assertFalse(sent.get(), "and stopped there");
    }

    @Test
    void aCallPastItsPointOfNoReturnWhenTheDeadlinePassesCountsAsStarted() {
        DeadlineExecutor.Missed missed = assertThrows(DeadlineExecutor.Missed.class, () -> executor.run(DeadlineExecutor.Lane.FAILOVER_STORE, proceed -> {
            proceed.getAsBoolean(); // at once: the call starts within the 2 s it has
            await(connected); // the broker's confirmation never comes in time
        }, 2000));

        assertTrue(missed.started());
    }

    @Test
    void aCallThatEndsInTimeReturnsAndMayProceed() throws Exception {
        AtomicBoolean sent = new AtomicBoolean();

        executor.run(DeadlineExecutor.Lane.FAILOVER_STORE, proceed -> sent.set(proceed.getAsBoolean()), 10_000);

        assertTrue(sent.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
