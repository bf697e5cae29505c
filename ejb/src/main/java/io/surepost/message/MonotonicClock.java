package io.surepost.message;

/**
 * Milliseconds from a clock that only moves forward ({@link System#nanoTime()}), for every
 * wait and pause: a wall-clock step backwards (NTP, an operator) must not stretch one.
 * The values mean nothing on their own; only differences between them do.
 */
public final class MonotonicClock {

    private MonotonicClock() {
    }

    public static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
