package io.surepost.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which dead letters an operator means: dead-lettered since and until (either may be open), a
 * reason containing some text (case does not matter), a last HTTP status (0: no response
 * came), a processor. Null means "any". Plain record: it turns itself into the JPQL condition
 * and its parameters, over {@code r}, a {@link DeadLetterRecord}.
 */
public record DeadLetterFilter(Instant since, Instant until, String reason, Integer status, String processor) {

    /** Every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null, null);

    public DeadLetterFilter {
        reason = reason == null || reason.isBlank() ? null : reason.trim();
        processor = processor == null || processor.isBlank() ? null : processor.trim();
    }

    /** The JPQL condition, {@code 1 = 1} for every dead letter. */
    public String condition() {
        List<String> terms = new ArrayList<>();
        if (since != null) {
            terms.add("r.deadLetteredAt >= :since");
        }
        if (until != null) {
            terms.add("r.deadLetteredAt < :until");
        }
        if (reason != null) {
            terms.add("lower(r.reason) like :reason escape '!'");
        }
        if (status != null) {
            terms.add("r.lastStatus = :status");
        }
        if (processor != null) {
            terms.add("coalesce(r.processor, '" + DeadLetterStore.FIRST_PROCESSOR + "') = :processor");
        }
        return terms.isEmpty() ? "1 = 1" : String.join(" and ", terms);
    }

    /** The condition's parameters, by name. */
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (since != null) {
            parameters.put("since", since);
        }
        if (until != null) {
            parameters.put("until", until);
        }
        if (reason != null) {
            parameters.put("reason", "%" + likeEscaped(reason.toLowerCase(Locale.ROOT)) + "%");
        }
        if (status != null) {
            parameters.put("status", status);
        }
        if (processor != null) {
            parameters.put("processor", processor);
        }
        return parameters;
    }

    /** The text with LIKE's wildcards taken literally ('!' is the escape character). */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
