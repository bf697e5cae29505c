package io.surepost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void noParametersMeanTheFirstPageOfTwenty() {
        Paging paging = Paging.of(null, "");

        assertEquals(1, paging.page());
        assertEquals(20, paging.size());
        assertEquals(0, paging.index());
    }

    @Test
    void pageAndSizeAreRead() {
        Paging paging = Paging.of("3", " 50 ");

        assertEquals(2, paging.index());
        assertEquals(50, paging.size());
    }

    @Test
    void outOfRangeOrNonNumbersAre400WithTheAllowedRange() {
        for (String[] bad : new String[][] {{"0", null}, {"x", null}, {null, "201"}, {null, "-1"}, {"1.5", null}}) {
            ApiException e = assertThrows(ApiException.class, () -> Paging.of(bad[0], bad[1]));
            assertEquals(Response.Status.BAD_REQUEST, e.status());
            assertTrue(e.getMessage().contains("whole number from 1 to"), e.getMessage());
        }
    }

    @Test
    void quotedTextIsShortAndHasNoControlCharacters() {
        ApiException e = assertThrows(ApiException.class, () -> Paging.of("a\nb" + "x".repeat(200), null));

        assertTrue(e.getMessage().contains("a?b"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }
}
