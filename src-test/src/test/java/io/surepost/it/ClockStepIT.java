package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WildFly's wall clock steps back an hour (NTP, an operator) while messages wait in the
 * failover table: the broker breaker and the failover processor keep their pace, because
 * every wait of theirs runs on the monotonic clock. The server is the one the control script
 * runs, under libfaketime (Debian's faketime, which the test fixtures install): only its
 * wall clock ({@code CLOCK_REALTIME}) is shifted, by the offset in a file this test writes;
 * its monotonic clock and the rest of the machine are untouched.
 * <p>
 * Before the fix the failover processor was an EJB interval timer, which WildFly runs on a
 * {@code java.util.Timer}: after the step its next tick was an hour away.
 */
class ClockStepIT {

    private static final Path OFFSET = Surepost.state().resolve("faketime-offset");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private static Map<String, String> server() {
        Map<String, String> environment = new HashMap<>(Surepost.scriptServer("-Dsurepost.failover.client.retry.interval=1000"));
        environment.put("LD_PRELOAD", libfaketime().toString());
        environment.put("FAKETIME_TIMESTAMP_FILE", OFFSET.toString());
        // Fake only the wall clock; the JVM hangs when its monotonic clock is faked too, and
        // libfaketime's "monotonic fix" makes its timed waits return at once
        environment.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        environment.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        environment.put("FAKETIME_CACHE_DURATION", "1");
        return environment;
    }

    private static Path libfaketime() {
        try (Stream<Path> found = Stream.of(Path.of("/usr/lib"), Path.of("/usr/lib64")).filter(Files::isDirectory)
                .flatMap(dir -> {
                    try {
                        return Files.find(dir, 3, (path, attributes) -> path.getFileName().toString().equals("libfaketime.so.1"));
                    } catch (IOException e) {
                        return Stream.empty();
                    }
                })) {
            return found.findFirst().orElseThrow(() -> new AssertionError(
                    "libfaketime.so.1 not found: the test fixtures install it (Debian: apt-get install faketime)"));
        }
    }

    private static void stepWallClock(String offset) throws IOException {
        Files.writeString(OFFSET, offset + "\n");
    }

    @BeforeAll
    static void startServer() throws IOException {
        stepWallClock("+0");
        Surepost.control(server(), "server", "start");
    }

    @AfterAll
    static void stopServer() throws IOException {
        Surepost.control("broker", "start");
        Surepost.control("server", "stop");
        stepWallClock("+0");
    }

    @Test
    void aWallClockStepBackwardsDoesNotStallTheFailoverProcessor() throws Exception {
        eventually().until(() -> Surepost.failoverRows() == 0 && Broker.messageCount(Broker.ORIGINAL) == 0);
        Surepost.control("broker", "kill");
        List<String> ids = java.util.stream.IntStream.range(0, 20).mapToObj(i -> Surepost.accept()).toList();
        assertEquals(20, Surepost.failoverRows(), "the broker is down: every message in the failover table");

        stepWallClock("-1h");
        // The step took (libfaketime reads the offset within a second): WildFly logs an hour behind the machine
        List<String> all = new java.util.ArrayList<>(ids);
        eventually().until(() -> {
            String probe = Surepost.accept();
            all.add(probe);
            return linesOf(probe).stream().anyMatch(ClockStepIT::loggedAnHourBehind);
        });

        Surepost.control("broker", "start");

        // client.retry.interval 1 s, probe interval 2 s: the table drains within seconds, not in an hour
        eventually().atMost(Duration.ofSeconds(45)).until(() -> Surepost.failoverRows() == 0);
        eventually().until(() -> Surepost.deliveries(all).size() == all.size());
        assertTrue(Surepost.deliveries(all).values().stream().allMatch(count -> count == 1), "each delivered once");
    }

    private static List<String> linesOf(String messageId) {
        return Surepost.lines(Surepost.scriptServerLog()).stream().filter(line -> line.contains(messageId)).toList();
    }

    private static boolean loggedAnHourBehind(String line) {
        if (line.length() < 23) {
            return false;
        }
        try {
            LocalDateTime logged = LocalDateTime.parse(line.substring(0, 23), LOG_TIME);
            Duration behind = Duration.between(logged, LocalDateTime.now());
            return behind.compareTo(Duration.ofMinutes(55)) > 0 && behind.compareTo(Duration.ofMinutes(65)) < 0;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
