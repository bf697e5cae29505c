package io.surepost.admin;

/** The two roles of the application realm (WildFly's {@code add-user.sh -a -g ROLE}). */
public final class Roles {

    /** Reads everything. */
    public static final String VIEWER = "surepost-viewer";
    /** Reads and changes: activates and deactivates processors, retries and deletes messages. */
    public static final String ADMIN = "surepost-admin";

    private Roles() {
    }
}
