package io.surepost.message;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * The one id a message gets at ingest: a UUID version 7 (RFC 9562), so ids sort by
 * acceptance time and can be read back as an instant. It travels with the message
 * everywhere (JMS property, failover row, backend header, dead-letter row).
 */
public final class MessageId {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern MAY_BE = java.util.regex.Pattern.compile("[0-9A-Za-z-]{1,36}");

    private MessageId() {
    }

    /** A new time-ordered id for a message accepted now. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        long random = RANDOM.nextLong();
        long high = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /**
     * Whether {@code text} can be the id of a message Surepost holds: one it made (a UUID) or
     * the id it gave a message found on the queue (letters, digits and dashes, at most 36).
     * Anything else is no message's id, and never reaches a query or a broker filter.
     */
    public static boolean mayBe(String text) {
        return text != null && MAY_BE.matcher(text).matches();
    }

    /** When the message with this id was accepted. */
    public static Instant acceptedAt(String id) {
        UUID uuid = UUID.fromString(id);
        if (uuid.version() != 7) {
            throw new IllegalArgumentException("not a Surepost message id (UUID version 7): " + id);
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }
}
