package io.surepost.ws;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Which header values Proxy1 keeps and passes on, and how it refuses the others. */
class Proxy1RequestFilterTest {

    @Test
    void aControlCharacterInAHeaderIsRefusedNamingTheHeader() {
        InvalidEnvelopeException e = assertThrows(InvalidEnvelopeException.class,
                () -> Proxy1RequestFilter.checkForwardable("Content-Type", "text/xml; x=\u0001", 255));

        assertEquals(400, e.getHttpStatus());
        assertEquals("The request's Content-Type header holds a character that cannot be passed on to the backend"
                + " (code 1 at position 13); use printable ASCII only.", e.getMessage());
    }

    @Test
    void aHeaderLongerThanItsColumnIsRefused() {
        InvalidEnvelopeException e = assertThrows(InvalidEnvelopeException.class,
                () -> Proxy1RequestFilter.checkForwardable("SOAPAction", "a".repeat(1001), 1000));

        assertEquals("The request's SOAPAction header is 1001 characters long; Proxy1 accepts at most 1000.", e.getMessage());
    }

    @Test
    void ordinaryValuesPass() {
        assertDoesNotThrow(() -> Proxy1RequestFilter.checkForwardable("SOAPAction", "\"urn:getQuote\"", 1000));
        assertDoesNotThrow(() -> Proxy1RequestFilter.checkForwardable("Content-Type", "text/xml;\tcharset=UTF-8", 255));
        assertDoesNotThrow(() -> Proxy1RequestFilter.checkForwardable("SOAPAction", null, 1000));
    }
}
