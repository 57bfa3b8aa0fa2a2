package dev.camelllm.chatcompletions;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.http.HttpErrors;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.Redactor;

/**
 * Turns Chat Completions errors into {@link LlmApiException}s: an HTTP error status with its body
 * ({@code {"error":{"message","type","code"}}}, or what a compatible server sends instead), and an error
 * object inside a stream after HTTP 200. Messages are redacted: OpenAI echoes a masked key on 401.
 */
public final class ChatCompletionsErrors {

    private static final int MAX_MESSAGE = 500;

    private final String provider;
    private final String apiKey;

    public ChatCompletionsErrors(String provider, String apiKey) {
        this.provider = provider;
        this.apiKey = apiKey;
    }

    /** What the upstream said about the error: its message, type and code, any of them possibly null. */
    public record Details(String message, String type, String code) {

        String errorType() {
            return code != null ? code : type;
        }
    }

    public LlmApiException fromHttp(int status, Map<String, String> headers, String body, String model) {
        Details d = details(body);
        ErrorKind kind = refine(HttpErrors.kindFor(status), d);
        String message = d.message() != null ? d.message() : "HTTP " + status + " with no error message";
        String filtered = filteredCategories(body);
        if (filtered != null) {
            kind = ErrorKind.CONTENT_POLICY;
            message += " (filtered: " + filtered + ")";
        }
        return LlmApiException.of(kind, provider, model, status, d.errorType(), HttpErrors.retryAfter(headers),
                clean(message));
    }

    /**
     * An error object sent with HTTP 200, in a stream (or as the whole body, as some compatible servers
     * do): a provider failure unless its type or code says otherwise.
     */
    public LlmApiException fromStream(JsonNode root, String model) {
        Details d = details(root);
        ErrorKind kind = ErrorKind.PROVIDER;
        JsonNode code = root.path("error").get("code");
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() < 600) {
            // vLLM and others put the HTTP status they would have sent in the code
            kind = HttpErrors.kindFor(code.asInt());
        } else {
            kind = byType(d.code(), byType(d.type(), kind));
        }
        kind = refine(kind, d);
        String message = d.message() != null ? d.message() : "error event in the stream";
        return LlmApiException.of(kind, provider, model, 0, d.errorType(), null,
                "error sent after HTTP 200: " + clean(message));
    }

    private static ErrorKind refine(ErrorKind kind, Details d) {
        for (String s : new String[] {d.code(), d.type()}) {
            if (s == null) {
                continue;
            }
            switch (s) {
                case "context_length_exceeded", "string_above_max_length":
                    return ErrorKind.CONTEXT_WINDOW;
                case "insufficient_quota":
                    return ErrorKind.QUOTA;
                case "content_filter", "content_policy_violation":
                    return ErrorKind.CONTENT_POLICY;
                default:
                    break;
            }
        }
        if (kind == ErrorKind.INVALID_REQUEST) {
            return HttpErrors.refineByMessage(kind, d.message());
        }
        return kind;
    }

    private static ErrorKind byType(String type, ErrorKind otherwise) {
        if (type == null) {
            return otherwise;
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (t.contains("rate_limit")) {
            return ErrorKind.RATE_LIMIT;
        }
        if (t.startsWith("invalid_request") || t.equals("badrequesterror")) {
            return ErrorKind.INVALID_REQUEST;
        }
        if (t.startsWith("authentication") || t.startsWith("permission")) {
            return ErrorKind.AUTHENTICATION;
        }
        return otherwise;
    }

    /** Reads the error of a body that may not be JSON at all (a proxy's HTML page, plain text). */
    public static Details details(String body) {
        if (body == null || body.isBlank()) {
            return new Details(null, null, null);
        }
        try {
            JsonNode root = Json.parse(body);
            if (root != null && root.isObject()) {
                Details d = details(root);
                if (d.message() != null || d.type() != null || d.code() != null) {
                    return d;
                }
            }
        } catch (Exception e) {
            // not JSON: the text itself is the message
        }
        return new Details(body.strip(), null, null);
    }

    /**
     * Azure's content filter: {@code error.innererror.content_filter_result} names each category and
     * whether it was filtered; the categories filtered, with their severity, or null when there is none.
     */
    static String filteredCategories(String body) {
        if (body == null || !body.contains("content_filter_result")) {
            return null;
        }
        try {
            JsonNode result = Json.parse(body).path("error").path("innererror").path("content_filter_result");
            StringBuilder sb = new StringBuilder();
            result.fields().forEachRemaining(e -> {
                if (e.getValue().path("filtered").asBoolean(false) || e.getValue().path("detected").asBoolean(false)) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey());
                    String severity = Json.text(e.getValue(), "severity");
                    if (severity != null) {
                        sb.append(' ').append(severity);
                    }
                }
            });
            return sb.length() == 0 ? null : sb.toString();
        } catch (Exception e) {
            return null;
        }
    }

    public static Details details(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            return new Details(Json.text(error, "message"), Json.text(error, "type"), Json.text(error, "code"));
        }
        if (error != null && error.isTextual()) {
            // Ollama and others: {"error": "model 'x' not found"}
            return new Details(error.asText(), null, null);
        }
        String message = Json.text(root, "message");
        if (message == null && root.has("detail")) {
            JsonNode detail = root.get("detail");
            message = detail.isTextual() ? detail.asText() : Json.write(detail);
        }
        return new Details(message, Json.text(root, "type"), Json.text(root, "code"));
    }

    private String clean(String message) {
        String m = Redactor.redact(message, apiKey);
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
