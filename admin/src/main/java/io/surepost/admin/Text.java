package io.surepost.admin;

/** Client-supplied text as an error message may quote it: short, and without control characters. */
final class Text {

    private static final int MAX = 80;

    private Text() {
    }

    static String shown(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(MAX).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return value.codePointCount(0, value.length()) > MAX ? out + "..." : out.toString();
    }

    /** A numeric id of a path, or 404: no such thing can exist. */
    static long id(String what, String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.notFound("There is no " + what + " " + shown(value) + " (ids are positive numbers).");
    }
}
