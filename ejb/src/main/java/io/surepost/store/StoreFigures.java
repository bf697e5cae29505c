package io.surepost.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A database store's figures: how many messages it holds, the age of the oldest (null when
 * it is empty) and the bytes of their envelopes (-1: not counted).
 */
public record StoreFigures(long depth, Long oldestAgeMillis, long bytes) {

    static StoreFigures of(Number depth, Instant oldest, Number bytes) {
        Long age = oldest == null ? null : Math.max(0, Duration.between(oldest, Instant.now()).toMillis());
        return new StoreFigures(depth == null ? 0 : depth.longValue(), age, bytes == null ? 0 : bytes.longValue());
    }
}
