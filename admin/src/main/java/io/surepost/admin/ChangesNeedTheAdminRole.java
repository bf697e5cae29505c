package io.surepost.admin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Every request is logged in (web.xml: any of the two roles); a change (anything but GET,
 * HEAD and OPTIONS) needs {@value Roles#ADMIN}: a viewer's gets 403 with a JSON message.
 */
@Provider
public class ChangesNeedTheAdminRole implements ContainerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) {
        if (!READS.contains(request.getMethod()) && !request.getSecurityContext().isUserInRole(Roles.ADMIN)) {
            request.abortWith(ApiException.error(403, "Forbidden", "Changes need the role " + Roles.ADMIN + "; "
                    + AuditLog.who(request.getSecurityContext()) + " has " + Roles.VIEWER + " only."));
        }
    }
}
