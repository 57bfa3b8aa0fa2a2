package dev.camelllm.gateway.format;

/** Stops a gateway request with an error for the client. */
public class GatewayException extends RuntimeException {

    private final GatewayError error;

    public GatewayException(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** A 400 invalid-request error about one field. */
    public static GatewayException invalid(String param, String message) {
        return new GatewayException(new GatewayError(400, ErrorType.INVALID_REQUEST, message, param, null));
    }

    public GatewayError error() {
        return error;
    }
}
