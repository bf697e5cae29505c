package io.surepost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a retry request's body and a filter's query are read. */
class DeadLettersResourceTest {

    @Test
    void aBodyWithIdsNamesThose() {
        assertEquals(List.of(12L, 13L), DeadLettersResource.ids(Json.createObjectBuilder()
                .add("ids", Json.createArrayBuilder().add(12).add(13)).build()));
    }

    @Test
    void noBodyOrNoIdsMeansTheFilter() {
        assertNull(DeadLettersResource.ids(null));
        assertNull(DeadLettersResource.ids(Json.createObjectBuilder().build()));
    }

    @Test
    void idsThatAreNotPositiveWholeNumbersAre400() {
        assertThrows(ApiException.class, () -> DeadLettersResource.ids(Json.createObjectBuilder()
                .add("ids", Json.createArrayBuilder().add("one")).build()));
        assertThrows(ApiException.class, () -> DeadLettersResource.ids(Json.createObjectBuilder()
                .add("ids", Json.createArrayBuilder().add(0)).build()));
        assertThrows(ApiException.class, () -> DeadLettersResource.ids(Json.createObjectBuilder()
                .add("ids", Json.createArrayBuilder()).build()));
        assertThrows(ApiException.class, () -> DeadLettersResource.ids(Json.createArrayBuilder().add(1).build()));
    }

    @Test
    void aTimeThatIsNotIsoOrAStatusOutOfRangeIs400() {
        assertThrows(ApiException.class, () -> DeadLettersResource.filter("yesterday", null, null, null, null));
        assertThrows(ApiException.class, () -> DeadLettersResource.filter(null, null, null, "600", null));
        assertEquals(503, DeadLettersResource.filter(null, null, null, "503", null).status());
    }
}
