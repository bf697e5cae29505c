package io.surepost.config;

import java.util.function.UnaryOperator;

/**
 * The failover processor's settings (the seed's FailoverMessageProcessor), read together and
 * checked before the drain uses them ({@link FailoverConfiguration}).
 *
 * @param intervalMillis      {@code interval}: the pause between ticks (seed: 1000 ms); read when the processor starts
 * @param retryIntervalMillis {@code client.retry.interval}: the wait after the broker refused a move (seed: 60000 ms)
 * @param maxAttempts         {@code max.delivery.attempts} per row (seed: 1000)
 * @param active              {@code is.active} (seed: true)
 * @param targetStore         {@code message.target.store.name}: where rows go; Original is the one store they can go to
 * @param batchSize           rows moved per transaction at most
 * @param batchBytes          envelope bytes moved per transaction at most (a batch holds at least one row)
 * @param takeoverDelayMillis in a cluster, how long another node's heartbeat must stand still before this node moves its
 *                            rows: until then the node that stored a row moves it, to its own broker, where a copy from
 *                            a send whose reply was lost is recognised by duplicate detection (another broker would
 *                            queue it a second time); and how old a row this node keeps for one broker of its list must
 *                            be before another broker of the list takes it
 * @param stallWarningMillis  how long a tick may go on before the processor logs, at WARN, that it is still under way and
 *                            where its thread is (again each time as long again passes)
 */
public record FailoverSettings(long intervalMillis, long retryIntervalMillis, int maxAttempts, boolean active, String targetStore,
                               int batchSize, long batchBytes, long takeoverDelayMillis,
                               long stallWarningMillis) {

    /** The one store failover rows can move to. */
    public static final String ORIGINAL = "Original";

    public static FailoverSettings read() {
        return read(System::getProperty);
    }

    public static FailoverSettings defaults() {
        return read(name -> null);
    }

    static FailoverSettings read(UnaryOperator<String> properties) {
        String f = Settings.FAILOVER;
        String target = Settings.orDefault(properties.apply(f + "message.target.store.name"), ORIGINAL);
        if (!target.equals(ORIGINAL)) {
            throw new IllegalStateException("System property " + f + "message.target.store.name must be " + ORIGINAL
                    + " (the one store failover rows can move to), but is '" + target + "'");
        }
        return new FailoverSettings(
                Settings.positiveInt(f + "interval", properties.apply(f + "interval"), 1000),
                Settings.positiveInt(f + "client.retry.interval", properties.apply(f + "client.retry.interval"), 60_000),
                Settings.positiveInt(f + "max.delivery.attempts", properties.apply(f + "max.delivery.attempts"), 1000),
                Settings.bool(f + "is.active", properties.apply(f + "is.active"), true),
                target,
                // 1000: the drain benchmark moved 37 % more per second than with 200
                Settings.positiveInt(f + "batch.size", properties.apply(f + "batch.size"), 1000),
                // 16 MiB: a batch of large envelopes must fit WildFly's heap next to everything else
                Settings.positiveInt(f + "batch.bytes", properties.apply(f + "batch.bytes"), 16 * 1024 * 1024),
                Settings.nonNegativeInt(f + "takeover.delay", properties.apply(f + "takeover.delay"), 30_000),
                // 60 s: a move is one transaction of at most batch.size rows, which takes a second or two
                Settings.positiveInt(f + "stall.warning", properties.apply(f + "stall.warning"), 60_000));
    }
}
