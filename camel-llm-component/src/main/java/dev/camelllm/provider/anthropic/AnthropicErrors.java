package dev.camelllm.provider.anthropic;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.http.HttpErrors;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.Redactor;

/**
 * Turns Anthropic's errors, {@code {"type":"error","error":{"type":…,"message":…}}} as an HTTP error body
 * or as a stream's {@code error} event, into typed exceptions. Upstream text is redacted and shortened.
 */
final class AnthropicErrors {

    private static final int MAX_MESSAGE = 500;

    private AnthropicErrors() {
    }

    static LlmApiException fromHttp(int status, Map<String, String> headers, String body, String model, String apiKey) {
        JsonNode error = errorNode(body);
        String type = error == null ? null : Json.text(error, "type");
        String message = error == null ? body : Json.text(error, "message");
        ErrorKind kind = kindFor(type, HttpErrors.kindFor(status), message);
        String text = clean(message, apiKey);
        if (text == null || text.isBlank()) {
            text = "HTTP " + status + " without an error message";
        }
        String requestId = headers.get("request-id");
        if (requestId != null) {
            text += " (request-id " + requestId + ")";
        }
        Duration retryAfter = HttpErrors.retryAfter(headers);
        return LlmApiException.of(kind, AnthropicProvider.NAME, model, status, type, retryAfter, text);
    }

    /** An {@code error} event that arrived in a stream after HTTP 200. */
    static LlmApiException fromEvent(JsonNode data, String model, String apiKey) {
        JsonNode error = data.path("error");
        String type = Json.text(error, "type");
        String message = Json.text(error, "message");
        ErrorKind kind = kindFor(type, ErrorKind.PROVIDER, message);
        String text = "error event in the stream";
        String cleaned = clean(message, apiKey);
        if (cleaned != null && !cleaned.isBlank()) {
            text += ": " + cleaned;
        }
        return LlmApiException.of(kind, AnthropicProvider.NAME, model, 0, type, null, text);
    }

    /** The kind for Anthropic's error type; unknown types fall back to the status' kind. */
    static ErrorKind kindFor(String type, ErrorKind fallback, String message) {
        if (type == null) {
            return HttpErrors.refineByMessage(fallback, message);
        }
        return switch (type) {
            case "invalid_request_error" -> HttpErrors.refineByMessage(ErrorKind.INVALID_REQUEST, message);
            case "authentication_error", "permission_error" -> ErrorKind.AUTHENTICATION;
            case "not_found_error", "request_too_large" -> ErrorKind.INVALID_REQUEST;
            case "rate_limit_error" -> ErrorKind.RATE_LIMIT;
            case "billing_error" -> ErrorKind.QUOTA;
            case "timeout_error" -> ErrorKind.TIMEOUT;
            case "api_error", "overloaded_error" -> ErrorKind.PROVIDER;
            default -> HttpErrors.refineByMessage(fallback, message);
        };
    }

    private static JsonNode errorNode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = Json.parse(body);
            JsonNode error = root.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (Exception e) {
            return null; // a proxy's HTML page or plain text: the body itself is the message
        }
    }

    private static String clean(String message, String apiKey) {
        if (message == null) {
            return null;
        }
        String m = Redactor.redact(message.strip(), apiKey);
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
