package dev.camelllm.gateway.format;

import java.util.Objects;

/**
 * An error to send to the client.
 *
 * @param status  the HTTP status
 * @param type    what kind of error
 * @param message a message for the client; never holds a key or an upstream's raw body
 * @param param   the request field at fault ({@code messages[0].role}), or null
 * @param code    a machine-readable code (OpenAI {@code code}: {@code model_not_found}, {@code invalid_api_key}), or null
 */
public record GatewayError(int status, ErrorType type, String message, String param, String code) {
    public GatewayError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    public static GatewayError of(ErrorType type, String message) {
        return new GatewayError(type.defaultStatus(), type, message, null, null);
    }
}
