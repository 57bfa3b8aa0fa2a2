package dev.camelllm.provider.gemini;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.http.HttpErrors;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.Redactor;

/**
 * Turns Google's errors ({@code {"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}}},
 * as an HTTP error body or as an event of a stream) into typed exceptions. The kind follows the
 * {@code status}, refined by the details: an {@code ErrorInfo} reason {@code API_KEY_INVALID} is an
 * authentication error, a per-day quota is {@code QUOTA}, and {@code RetryInfo.retryDelay} is the
 * retry-after when no header says one.
 */
final class GeminiErrors {

    private static final int MAX_MESSAGE = 500;

    private final String provider;
    private final String secret;

    GeminiErrors(String provider, String secret) {
        this.provider = provider;
        this.secret = secret;
    }

    LlmApiException fromHttp(int status, Map<String, String> headers, String body, String model) {
        JsonNode error = errorNode(body);
        String grpc = error == null ? null : Json.text(error, "status");
        String message = error == null ? (body == null || body.isBlank() ? null : body.strip()) : Json.text(error, "message");
        ErrorKind kind = kindFor(grpc, HttpErrors.kindFor(status), error, message);
        Duration retryAfter = HttpErrors.retryAfter(headers);
        if (retryAfter == null && error != null) {
            retryAfter = retryDelay(error);
        }
        String text = clean(message);
        if (text == null || text.isBlank()) {
            text = "HTTP " + status + " without an error message";
        }
        return LlmApiException.of(kind, provider, model, status, grpc, retryAfter, text);
    }

    /** An error object sent as an event of a stream after HTTP 200. */
    LlmApiException fromEvent(JsonNode root, String model) {
        JsonNode error = root.path("error");
        String grpc = Json.text(error, "status");
        ErrorKind fallback = error.path("code").canConvertToInt() && error.path("code").asInt() >= 400
                ? HttpErrors.kindFor(error.path("code").asInt()) : ErrorKind.PROVIDER;
        String message = Json.text(error, "message");
        ErrorKind kind = kindFor(grpc, fallback, error, message);
        String cleaned = clean(message);
        return LlmApiException.of(kind, provider, model, 0, grpc, retryDelay(error),
                "error event in the stream" + (cleaned == null || cleaned.isBlank() ? "" : ": " + cleaned));
    }

    static ErrorKind kindFor(String grpc, ErrorKind fallback, JsonNode error, String message) {
        if ("API_KEY_INVALID".equals(reason(error))) {
            return ErrorKind.AUTHENTICATION;
        }
        if (grpc == null) {
            return refine(fallback, message);
        }
        return switch (grpc) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE", "NOT_FOUND", "ALREADY_EXISTS",
                 "UNIMPLEMENTED" -> refine(ErrorKind.INVALID_REQUEST, message);
            case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ErrorKind.AUTHENTICATION;
            case "RESOURCE_EXHAUSTED" -> perDayQuota(error) ? ErrorKind.QUOTA : ErrorKind.RATE_LIMIT;
            case "DEADLINE_EXCEEDED" -> ErrorKind.TIMEOUT;
            case "CANCELLED", "INTERNAL", "UNAVAILABLE", "UNKNOWN", "ABORTED", "DATA_LOSS" -> ErrorKind.PROVIDER;
            default -> refine(fallback, message);
        };
    }

    /** Gemini says "The input token count (N) exceeds the maximum number of tokens allowed (M)". */
    private static ErrorKind refine(ErrorKind kind, String message) {
        if (kind == ErrorKind.INVALID_REQUEST && message != null
                && message.toLowerCase(Locale.ROOT).contains("exceeds the maximum number of tokens")) {
            return ErrorKind.CONTEXT_WINDOW;
        }
        return kind == ErrorKind.INVALID_REQUEST ? HttpErrors.refineByMessage(kind, message) : kind;
    }

    /** The reason of a {@code google.rpc.ErrorInfo} detail, or null. */
    private static String reason(JsonNode error) {
        for (JsonNode d : details(error)) {
            if (Json.text(d, "@type") != null && Json.text(d, "@type").endsWith("google.rpc.ErrorInfo")) {
                return Json.text(d, "reason");
            }
        }
        return null;
    }

    /** A {@code QuotaFailure} whose violated quota is counted per day: waiting a minute will not help. */
    private static boolean perDayQuota(JsonNode error) {
        for (JsonNode d : details(error)) {
            if (Json.text(d, "@type") != null && Json.text(d, "@type").endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode v : d.path("violations")) {
                    String id = Json.text(v, "quotaId");
                    if (id != null && id.contains("PerDay")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** {@code google.rpc.RetryInfo.retryDelay}, a protobuf Duration in JSON ({@code "34s"}, {@code "1.5s"}). */
    static Duration retryDelay(JsonNode error) {
        for (JsonNode d : details(error)) {
            String type = Json.text(d, "@type");
            String delay = Json.text(d, "retryDelay");
            if (type != null && type.endsWith("google.rpc.RetryInfo") && delay != null && delay.endsWith("s")) {
                try {
                    Duration parsed = Duration.ofMillis((long) (Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000));
                    if (parsed.isNegative()) {
                        return Duration.ZERO;
                    }
                    return parsed.compareTo(HttpErrors.MAX_RETRY_AFTER) > 0 ? HttpErrors.MAX_RETRY_AFTER : parsed;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Iterable<JsonNode> details(JsonNode error) {
        JsonNode details = error == null ? null : error.get("details");
        return details != null && details.isArray() ? details : java.util.List.of();
    }

    /** The error object of a body; Google sometimes wraps it in an array. Null when the body is not one. */
    private static JsonNode errorNode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = Json.parse(body);
            if (root != null && root.isArray() && !root.isEmpty()) {
                root = root.get(0);
            }
            JsonNode error = root == null ? null : root.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (Exception e) {
            return null;
        }
    }

    private String clean(String message) {
        if (message == null) {
            return null;
        }
        String m = Redactor.redact(message.strip(), secret);
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
