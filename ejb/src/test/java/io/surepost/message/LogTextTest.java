package io.surepost.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aNewlineCannotStartAForgedLogLine() {
        assertEquals("a\\n2026-11-25 INFO [io.surepost.ws] Message x delivered",
                LogText.escape("a\n2026-11-25 INFO [io.surepost.ws] Message x delivered"));
    }

    @Test
    void controlCharactersAndBackslashesAreSpelledOut() {
        assertEquals("\\u001b[31m\\r\\t\\\\", LogText.escape("\u001b[31m\r\t\\"));
    }

    @Test
    void plainTextIsLoggedAsItIs() {
        String text = "urn:getQuote é";
        assertSame(text, LogText.escape(text));
    }
}
