package io.surepost.message;

/**
 * Makes a client-supplied value safe to log: control characters (a newline that would forge
 * a log line, an escape sequence for a terminal) appear as {@code \n}, {@code \r},
 * {@code \t} or {@code \\uXXXX}, and a backslash as {@code \\\\}, so one logged value is one
 * piece of one line and can be read back without ambiguity.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(CharSequence value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value.toString() : out.toString();
    }
}
