package io.surepost.mediation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static final ThreadFactory THREADS = task -> {
        Thread thread = new Thread(task, "group-commit-test");
        thread.setDaemon(true);
        return thread;
    };

    /** What the store got: each committed batch, in order. */
    private final List<List<String>> committed = new CopyOnWriteArrayList<>();
    /** Every item a session was asked to send, committed or not. */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    /** Commits wait for this while the test holds it. */
    private volatile CountDownLatch commitGate = new CountDownLatch(0);
    private volatile boolean failCommits;
    private volatile boolean failOpen;
    private volatile boolean failSends;
    /** Sessions opened before this number fail their sends once they have served a batch (a store that restarted). */
    private volatile int staleSessionsBelow;

    private GroupCommit<String> commits;

    private GroupCommit<String> start(int lanes, int maxBatch, long maxBatchBytes, int maxWaiting) {
        commits = new GroupCommit<>("broker 1", this::open, THREADS, lanes, maxBatch, maxBatchBytes, String::length, maxWaiting);
        commits.start();
        return commits;
    }

    @AfterEach
    void stop() {
        commitGate.countDown();
        if (commits != null) {
            commits.stop(5000);
        }
    }

    private GroupCommit.Session<String> open() {
        if (failOpen) {
            throw new IllegalStateException("connection refused");
        }
        int number = opened.incrementAndGet();
        return new GroupCommit.Session<>() {
            private final List<String> transaction = new ArrayList<>();
            private boolean served;

            @Override
            public void send(String item) {
                if (failSends || served && number < staleSessionsBelow) {
                    throw new IllegalStateException("session closed");
                }
                sent.add(item);
                transaction.add(item);
            }

            @Override
            public void commit() throws Exception {
                assertTrue(commitGate.await(30, TimeUnit.SECONDS));
                if (failCommits) {
                    transaction.clear();
                    throw new IllegalStateException("the commit's answer was lost");
                }
                committed.add(List.copyOf(transaction));
                transaction.clear();
                served = true;
            }

            @Override
            public void close() {
                transaction.clear();
            }
        };
    }

    private CompletableFuture<Void> sendLater(String item, long deadlineMillis) {
        return CompletableFuture.runAsync(() -> {
            try {
                commits.send(item, deadlineMillis);
            } catch (DeadlineExecutor.Missed e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> THREADS.newThread(runnable).start());
    }

    /** Sends {@code item} and waits until a lane has sent it and holds in its commit (until the test opens {@link #commitGate}). */
    private CompletableFuture<Void> holdTheLaneInTheCommitOf(String item, long deadlineMillis) {
        commitGate = new CountDownLatch(1);
        CompletableFuture<Void> held = sendLater(item, deadlineMillis);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.contains(item));
        return held;
    }

    @Test
    void requestsThatWaitTogetherShareOneCommitAndEachReturnsOnlyAfterIt() throws Exception {
        start(1, 64, 1 << 20, 100);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);
        List<CompletableFuture<Void>> others = List.of(sendLater("b", 10_000), sendLater("c", 10_000), sendLater("d", 10_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == 3);

        assertFalse(first.isDone(), "answered before its commit");
        commitGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }

        assertEquals(2, committed.size(), committed::toString);
        assertEquals(List.of("a"), committed.get(0));
        assertEquals(List.of("b", "c", "d"), committed.get(1).stream().sorted().toList());
    }

    @Test
    void aBatchTakesNoMoreThanItsSizeInItemsOrInBytes() throws Exception {
        start(1, 2, 1 << 20, 100);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (String item : List.of("b", "c", "d")) {
            others.add(sendLater(item, 10_000));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == 3);
        commitGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }

        assertEquals(List.of(1, 2, 1), committed.stream().map(List::size).toList());
    }

    @Test
    void aBatchStopsTakingOnceItsBytesReachTheLimit() throws Exception {
        start(1, 64, 10, 100);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (String item : List.of("bbbbbbbbbbbb", "c")) {
            others.add(sendLater(item, 10_000));
            String waitingFor = item;
            await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == (waitingFor.equals("c") ? 2 : 1));
        }
        commitGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }

        assertEquals(List.of(List.of("a"), List.of("bbbbbbbbbbbb"), List.of("c")), committed);
    }

    @Test
    void anItemNoLaneTookByItsDeadlineIsNeverSentAndItsCallerKnows() throws Exception {
        start(1, 64, 1 << 20, 100);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);

        DeadlineExecutor.Missed missed = assertThrows(DeadlineExecutor.Missed.class, () -> commits.send("late", 50));
        commitGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        commits.send("after", 10_000);

        assertFalse(missed.started());
        assertFalse(sent.contains("late"), sent::toString);
        assertEquals(List.of(List.of("a"), List.of("after")), committed);
    }

    @Test
    void anItemWhoseCommitOutlivesItsDeadlineCountsAsStarted() {
        start(1, 64, 1 << 20, 100);
        commitGate = new CountDownLatch(1);

        DeadlineExecutor.Missed missed = assertThrows(DeadlineExecutor.Missed.class, () -> commits.send("a", 100));
        commitGate.countDown();

        assertTrue(missed.started());
        await().atMost(Duration.ofSeconds(10)).until(() -> committed.equals(List.of(List.of("a"))));
    }

    @Test
    void aFailedCommitTellsEveryCallerOfItsBatchTheStoreMayHaveIt() throws Exception {
        start(1, 64, 1 << 20, 100);
        failCommits = true;
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);
        CompletableFuture<Void> second = sendLater("b", 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == 1);
        commitGate.countDown();

        for (CompletableFuture<Void> each : List.of(first, second)) {
            Throwable failure = assertThrows(Exception.class, () -> each.get(10, TimeUnit.SECONDS)).getCause();
            assertTrue(failure instanceof GroupCommit.Unconfirmed, String.valueOf(failure));
        }
        failCommits = false;
        commits.send("c", 10_000);
        assertEquals(3, opened.get(), "each failed commit closed its session: a's, b's, then c's");
        assertEquals(List.of(List.of("c")), committed);
    }

    @Test
    void noSessionMeansNothingWasSent() {
        start(1, 64, 1 << 20, 100);
        failOpen = true;

        GroupCommit.NotSent notSent = assertThrows(GroupCommit.NotSent.class, () -> commits.send("a", 10_000));

        assertFalse(notSent.reached());
        assertTrue(sent.isEmpty());
    }

    @Test
    void aSendThatFailsOnASessionThatServedBeforeGoesOnceMoreOnAFreshSession() throws Exception {
        start(1, 64, 1 << 20, 100);
        commits.send("a", 10_000);
        staleSessionsBelow = 2; // the first session dies while idle

        commits.send("b", 10_000);

        assertEquals(2, opened.get());
        assertEquals(List.of(List.of("a"), List.of("b")), committed);
    }

    @Test
    void aSendThatFailsOnAFreshSessionTellsItsCallerNothingWasCommitted() {
        start(1, 64, 1 << 20, 100);
        failSends = true;

        GroupCommit.NotSent notSent = assertThrows(GroupCommit.NotSent.class, () -> commits.send("a", 10_000));

        assertTrue(notSent.reached());
        assertTrue(committed.isEmpty());
    }

    @Test
    void whenAsManyAsAllowedAreWaitingTheNextCallerIsRefusedAtOnce() throws Exception {
        start(1, 64, 1 << 20, 1);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 10_000);
        CompletableFuture<Void> second = sendLater("b", 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == 1);

        assertThrows(RejectedExecutionException.class, () -> commits.send("c", 10_000));
        commitGate.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertFalse(sent.contains("c"));
    }

    @Test
    void stoppingTellsTheWaitingCallersNothingWasSent() throws Exception {
        start(1, 64, 1 << 20, 100);
        CompletableFuture<Void> first = holdTheLaneInTheCommitOf("a", 30_000);
        CompletableFuture<Void> waiting = sendLater("b", 30_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == 1);

        commits.stop(100);

        Throwable failure = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(failure instanceof GroupCommit.NotSent, String.valueOf(failure));
        assertFalse(sent.contains("b"));
        assertThrows(RejectedExecutionException.class, () -> commits.send("c", 1000));
        commitGate.countDown();
        assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS)); // interrupted in its commit: not confirmed
    }
}
