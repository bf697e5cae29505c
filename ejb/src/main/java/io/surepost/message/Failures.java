package io.surepost.message;

/** Turns an exception chain into the one line an operator or a client needs. */
public final class Failures {

    private Failures() {
    }

    /** The deepest cause's class and message, e.g. {@code ActiveMQNotConnectedException: AMQ219007: Cannot connect}. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        String text = root.getMessage();
        return root.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text.strip());
    }

    /** The deepest cause's message alone, for a client: no Java class names. */
    public static String rootText(Throwable failure) {
        Throwable root = root(failure);
        String text = root.getMessage();
        return text == null || text.isBlank() ? "no further detail" : text.strip();
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
