package dev.camelllm.gateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.spi.Json;

/** Errors in the Messages API's shape: {@code {"type":"error","error":{"type":…,"message":…}}}. */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    static ObjectNode body(GatewayError error) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode detail = root.putObject("error");
        detail.put("type", typeName(error.type()));
        detail.put("message", message(error));
        return root;
    }

    /** Anthropic has no timeout error type: a gateway timeout is an api_error (its 504 status still says so). */
    static String typeName(ErrorType type) {
        return switch (type) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMIT -> "rate_limit_error";
            case API_ERROR, TIMEOUT -> "api_error";
            case OVERLOADED -> "overloaded_error";
        };
    }

    /**
     * Anthropic's errors have no param field; they name the field in the message ({@code messages.1.content:
     * …}). The param is put in front of the message in that style, unless the message names it already.
     */
    static String message(GatewayError error) {
        String param = error.param();
        if (param == null || param.isBlank()) {
            return error.message();
        }
        String dotted = param.replaceAll("\\[(\\d+)]", ".$1");
        if (error.message().contains(param) || error.message().contains(dotted)) {
            return error.message();
        }
        return dotted + ": " + error.message();
    }
}
