package io.surepost.failover;

import java.util.Optional;

/**
 * Watches one kind of work that runs on one thread at a time (a tick of the failover
 * processor) and says when a run has gone on for longer than a limit, with where its thread
 * is: the stack an operator (or a test's log) needs to tell a database lock from a broker
 * that does not answer. A run is reported once per {@code limit}, not at every check.
 * Times are monotonic milliseconds.
 */
public final class StallWatch {

    /** A run that has gone on too long: how long, and its thread's stack at the check. */
    public record Stall(long runningMillis, String thread, String stack) {
    }

    private volatile Thread thread;
    private volatile long since;
    private long reportedAt;

    /** The current thread starts a run. */
    public void began(long now) {
        synchronized (this) {
            since = now;
            reportedAt = now;
            thread = Thread.currentThread();
        }
    }

    /** The run ended. */
    public void ended() {
        thread = null;
    }

    /** A stall to report, when the run under way has gone on for {@code limitMillis} since it began or was last reported. */
    public synchronized Optional<Stall> check(long now, long limitMillis) {
        Thread running = thread;
        if (running == null || now - reportedAt < limitMillis) {
            return Optional.empty();
        }
        reportedAt = now;
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement frame : running.getStackTrace()) {
            stack.append("\n\tat ").append(frame);
        }
        return Optional.of(new Stall(now - since, running.getName(), stack.toString()));
    }
}
