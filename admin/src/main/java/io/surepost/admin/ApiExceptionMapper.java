package io.surepost.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns whatever ends a request into JSON: an {@link ApiException} as it is; REST's own
 * errors (an unknown path, a method not allowed, a body that is no JSON) with their status;
 * anything else as 500 with a reference the server log has the cause under, never the cause.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger("io.surepost.admin");

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof ApiException api) {
            return api.toResponse();
        }
        if (exception instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            Response.StatusType status = web.getResponse().getStatusInfo();
            return ApiException.error(status.getStatusCode(), status.getReasonPhrase(), switch (status.getStatusCode()) {
                case 404 -> "There is no such resource; GET /surepost/api/openapi lists every path.";
                case 405 -> "This path does not take that method; GET /surepost/api/openapi lists what each path takes.";
                case 415 -> "Send the body as application/json.";
                case 406 -> "The API answers application/json only.";
                default -> "The request is not one the API understands: check it against GET /surepost/api/openapi.";
            });
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(exception, "Admin API request failed (reference %s)", reference);
        return ApiException.error(500, "Internal Server Error",
                "The request failed inside Surepost; the server log has the cause under reference " + reference + ".");
    }
}
