package io.surepost.admin;

import io.surepost.message.LogText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * Every change an operator makes through the API, one line each, in the category
 * {@code io.surepost.audit} (configure-surepost.cli gives it its own file,
 * {@code surepost-audit.log}): who, what, which ids, and how it ended. The time is the log
 * line's own.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger AUDIT = Logger.getLogger("io.surepost.audit");

    /** The logged-in user's name, escaped for a log line. */
    public static String who(SecurityContext security) {
        return security.getUserPrincipal() == null ? "anonymous" : LogText.escape(security.getUserPrincipal().getName());
    }

    public void change(SecurityContext security, String action, Collection<?> ids, String outcome) {
        AUDIT.infof("user=%s action=%s ids=%s outcome=%s", who(security), action, ids, LogText.escape(outcome));
    }
}
