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

    /** When the message with this id was accepted. */
    public static Instant acceptedAt(String id) {
        UUID uuid = UUID.fromString(id);
        if (uuid.version() != 7) {
            throw new IllegalArgumentException("not a Surepost message id (UUID version 7): " + id);
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }
}
