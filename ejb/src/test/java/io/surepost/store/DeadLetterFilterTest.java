package io.surepost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    @Test
    void noFilterMatchesEveryDeadLetter() {
        assertEquals("1 = 1", DeadLetterFilter.ALL.condition());
        assertEquals(Map.of(), DeadLetterFilter.ALL.parameters());
    }

    @Test
    void eachGivenPartBecomesATermWithItsParameter() {
        Instant since = Instant.parse("2026-12-01T00:00:00Z");
        DeadLetterFilter filter = new DeadLetterFilter(since, null, " HTTP 500 ", 500, null);

        assertEquals("r.deadLetteredAt >= :since and lower(r.reason) like :reason escape '!' and r.lastStatus = :status",
                filter.condition());
        assertEquals(Map.of("since", since, "reason", "%http 500%", "status", 500), filter.parameters());
    }

    @Test
    void likeWildcardsInTheReasonAreTakenLiterally() {
        assertEquals("100!% of !_ and !!", DeadLetterFilter.likeEscaped("100% of _ and !"));
    }

    @Test
    void blankTextIsNoFilter() {
        assertEquals("1 = 1", new DeadLetterFilter(null, null, "  ", null, "").condition());
    }
}
