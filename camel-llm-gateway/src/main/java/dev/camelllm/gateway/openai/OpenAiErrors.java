package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.spi.Json;

/** Writes a {@link GatewayError} as OpenAI's {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static ObjectNode toJson(GatewayError error) {
        ObjectNode root = Json.object();
        ObjectNode e = root.putObject("error");
        e.put("message", error.message());
        e.put("type", type(error));
        // OpenAI always writes param and code, as null when they do not apply
        e.put("param", error.param());
        e.put("code", error.code() != null ? error.code() : defaultCode(error));
        return root;
    }

    private static String type(GatewayError error) {
        return switch (error.type()) {
            case INVALID_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMIT -> "rate_limit_error";
            case API_ERROR, OVERLOADED -> "server_error";
            case TIMEOUT -> "timeout";
        };
    }

    /** The codes OpenAI's own API sends with these types, which clients test for. */
    private static String defaultCode(GatewayError error) {
        return switch (error.type()) {
            case AUTHENTICATION -> "invalid_api_key";
            case RATE_LIMIT -> "rate_limit_exceeded";
            case OVERLOADED -> "overloaded";
            default -> null;
        };
    }
}
