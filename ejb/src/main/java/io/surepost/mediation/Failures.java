package io.surepost.mediation;

/** Turns an exception chain into the one line an operator or a client needs. */
final class Failures {

    private Failures() {
    }

    /** The deepest cause's class and message, e.g. {@code ActiveMQNotConnectedException: AMQ219007: Cannot connect}. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage();
        return root.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text.strip());
    }
}
