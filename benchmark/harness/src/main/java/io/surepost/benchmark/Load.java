package io.surepost.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives one operation (an HTTP POST, a JMS send, a JDBC insert) from a number of client
 * threads, each with its own connection, as fast as it completes: closed-loop load. Only
 * operations that start inside the measuring window count; each one's latency is kept
 * exactly (no histogram buckets), so the percentiles are the measured ones.
 */
final class Load {

    /** One client: its own connection, one operation per call. */
    interface Client extends AutoCloseable {
        /** Performs one operation; throws when it did not succeed. */
        void call() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Opens client number {@code index}. */
    interface Clients {
        Client open(int index) throws Exception;
    }

    /** What a run measured. */
    record Result(int clients, long operations, long errors, String firstError, double seconds, long[] latenciesMicros,
                  Cpu.Shares cpu) {

        double perSecond() {
            return operations / seconds;
        }

        /** The latency at quantile q (0..1) in milliseconds; the exact sample, not an estimate. */
        double percentileMillis(double q) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(q * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))] / 1000.0;
        }
    }

    private Load() {
    }

    /**
     * Runs {@code clients} threads for {@code warmup} (not counted), then measures for
     * {@code measure}.
     */
    static Result timed(Clients factory, int clients, Duration warmup, Duration measure, Cpu cpu) throws Exception {
        return run(factory, clients, warmup, measure, Long.MAX_VALUE, cpu);
    }

    /** Runs {@code clients} threads until {@code operations} have succeeded in all; everything counts. */
    static Result count(Clients factory, int clients, long operations, Cpu cpu) throws Exception {
        return run(factory, clients, Duration.ZERO, null, operations, cpu);
    }

    private static Result run(Clients factory, int clients, Duration warmup, Duration measure, long maxOperations, Cpu cpu)
            throws Exception {
        List<Client> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open(i));
            }
            long[][] latencies = new long[clients][];
            int[] counts = new int[clients];
            AtomicLong budget = new AtomicLong(maxOperations);
            AtomicLong errors = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[2]; // [start, end) in System.nanoTime(), set before go
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int me = i;
                Thread thread = new Thread(() -> {
                    Client client = opened.get(me);
                    long[] mine = new long[1024];
                    int n = 0;
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= window[1] || budget.getAndDecrement() <= 0) {
                            break;
                        }
                        try {
                            client.call();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                            budget.incrementAndGet(); // a failed operation does not use up the budget
                            // A failed client may be broken for good: start it over on a new connection
                            try {
                                client.close();
                            } catch (Exception ignored) {
                                // it is being replaced
                            }
                            try {
                                client = factory.open(me);
                                opened.set(me, client);
                            } catch (Exception reopen) {
                                break; // this client is out of the run; its error is counted
                            }
                            continue;
                        }
                        if (start >= window[0]) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = (System.nanoTime() - start) / 1000;
                        }
                    }
                    latencies[me] = mine;
                    counts[me] = n;
                }, "load-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            ready.await();
            long now = System.nanoTime();
            window[0] = now + warmup.toNanos();
            window[1] = measure == null ? Long.MAX_VALUE : window[0] + measure.toNanos();
            go.countDown();
            if (!warmup.isZero()) {
                Thread.sleep(warmup.toMillis()); // the measuring window opens on its own; this only aligns the CPU sample
            }
            Cpu.Sample before = cpu.sample();
            for (Thread thread : threads) {
                thread.join();
            }
            Cpu.Sample after = cpu.sample();
            long total = 0;
            for (int c : counts) {
                total += c;
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (int i = 0; i < clients; i++) {
                System.arraycopy(latencies[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            Arrays.sort(all);
            double seconds = (after.nanos() - before.nanos()) / 1e9;
            return new Result(clients, total, errors.get(), firstError.get(), seconds, all, cpu.shares(before, after));
        } finally {
            for (Client client : opened) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // the run is over; a client that cannot close cleanly changes no figure
                }
            }
        }
    }
}
