package io.surepost.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadTest {

    private final Cpu cpu = new Cpu(Map.of());

    @Test
    void countedRunPerformsExactlyTheRequestedOperations() throws Exception {
        AtomicLong calls = new AtomicLong();

        Load.Result result = Load.count(index -> calls::incrementAndGet, 4, 1000, cpu);

        assertEquals(1000, result.operations());
        assertEquals(1000, calls.get());
        assertEquals(1000, result.latenciesMicros().length);
    }

    @Test
    void failedOperationsAreCountedAndDoNotUseUpTheBudget() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        Load.Clients everyThirdFails = index -> {
            opened.incrementAndGet();
            return () -> {
                if (calls.incrementAndGet() % 3 == 0) {
                    throw new IllegalStateException("refused");
                }
            };
        };

        Load.Result result = Load.count(everyThirdFails, 1, 100, cpu);

        assertEquals(100, result.operations());
        assertEquals(calls.get() - 100, result.errors());
        assertTrue(result.firstError().contains("refused"), result.firstError());
        assertEquals(1 + result.errors(), opened.get(), "a failed client is replaced by a new one");
    }

    @Test
    void timedRunCountsOnlyTheMeasuredWindow() throws Exception {
        AtomicLong calls = new AtomicLong();

        Load.Result result = Load.timed(index -> calls::incrementAndGet, 2, Duration.ofMillis(200), Duration.ofMillis(300), cpu);

        assertTrue(result.operations() > 0);
        assertTrue(result.operations() < calls.get(), "warm-up operations are not counted");
        assertTrue(result.seconds() >= 0.29, "measured for the window: " + result.seconds());
    }

    @Test
    void percentilesAreExactSamples() {
        long[] micros = new long[1000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = (i + 1) * 1000L; // 1 ms .. 1000 ms
        }
        Load.Result result = new Load.Result(1, 1000, 0, null, 1.0, micros, cpu.shares(cpu.sample(), cpu.sample()));

        assertEquals(500.0, result.percentileMillis(0.50));
        assertEquals(990.0, result.percentileMillis(0.99));
        assertEquals(999.0, result.percentileMillis(0.999));
        assertEquals(1000.0, result.perSecond());
    }

    @Test
    void envelopeIsExactlyOneKilobyteOfSoap() {
        String envelope = new String(Envelope.oneKilobyte(), java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(1024, Envelope.oneKilobyte().length);
        assertTrue(envelope.startsWith("<soapenv:Envelope") && envelope.strip().endsWith("</soapenv:Envelope>"), envelope);
    }
}
