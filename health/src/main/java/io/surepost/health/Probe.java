package io.surepost.health;

import java.io.Serializable;
import java.util.Map;

/** One health check's answer: UP or DOWN, with figures or the problem in words (no stack trace). */
public record Probe(boolean up, Map<String, String> data) implements Serializable {

    public static Probe up(Map<String, String> data) {
        return new Probe(true, Map.copyOf(data));
    }

    public static Probe down(String problem) {
        return new Probe(false, Map.of("problem", problem));
    }
}
