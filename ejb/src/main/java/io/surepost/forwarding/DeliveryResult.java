package io.surepost.forwarding;

/**
 * What one delivery attempt to the backend came to.
 *
 * @param delivered  whether the backend took the message
 * @param statusCode the HTTP status, or 0 when no response arrived
 * @param reason     for a failure, what went wrong, in words an operator understands
 */
public record DeliveryResult(boolean delivered, int statusCode, String reason) {

    private static final java.util.regex.Pattern SOAP_FAULT =
            java.util.regex.Pattern.compile("<([A-Za-z_][\\w.-]*:)?Fault[\\s>/]");

    /** The backend could not be reached or did not answer in time. */
    public static DeliveryResult unreachable(String reason) {
        return new DeliveryResult(false, 0, reason);
    }

    /**
     * Classifies a response: 2xx is delivered, unless the body is a SOAP fault; anything
     * else is a failure.
     */
    public static DeliveryResult ofResponse(int statusCode, String body) {
        if (statusCode < 200 || statusCode > 299) {
            return new DeliveryResult(false, statusCode, "backend answered HTTP " + statusCode);
        }
        if (body != null && SOAP_FAULT.matcher(body).find()) {
            return new DeliveryResult(false, statusCode, "backend answered HTTP " + statusCode + " with a SOAP fault");
        }
        return new DeliveryResult(true, statusCode, "");
    }
}
