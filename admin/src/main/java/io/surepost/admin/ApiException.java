package io.surepost.admin;

import jakarta.ws.rs.core.Response;

/** Ends a request with an {@link ApiError}: the status and a message for the operator. */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Response.Status status;

    public ApiException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException notFound(String message) {
        return new ApiException(Response.Status.NOT_FOUND, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Response.Status.BAD_REQUEST, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(Response.Status.SERVICE_UNAVAILABLE, message);
    }

    public Response.Status status() {
        return status;
    }

    /** The JSON answer. */
    public Response toResponse() {
        return error(status.getStatusCode(), status.getReasonPhrase(), getMessage());
    }

    static Response error(int status, String name, String message) {
        return Response.status(status).type("application/json").entity(new ApiError(status, name, message)).build();
    }
}
