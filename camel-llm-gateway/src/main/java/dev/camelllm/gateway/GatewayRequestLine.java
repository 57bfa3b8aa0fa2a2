package dev.camelllm.gateway;

import dev.camelllm.gateway.format.GatewayError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a gateway request's one log line: who called and what the gateway answered, then what the
 * llm: step did (its request-log fields, under names that do not clash with the gateway's), then the
 * gateway's own overhead. Every field is always there, {@code -} when it has no value, so that the lines of
 * requests that never reached the llm: step have the same shape.
 */
final class GatewayRequestLine {

    /** The llm: step's field names, and what the gateway's line calls them. */
    private static final Map<String, String> LLM_FIELDS = llmFields();
    private static final int MAX_MESSAGE_CHARS = 300;

    private GatewayRequestLine() {
    }

    /**
     * @param outcome {@code ok}, {@code error} or {@code client_closed}
     * @param error   the error the client got, or null
     * @param llm     the llm: step's fields ({@code DeferredRequestLog}), or null when it did not run or finish
     */
    static Map<String, String> fields(GatewayCall call, int status, String outcome, GatewayError error,
                                      Map<String, String> llm, String overheadMs) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("request_id", call.requestId);
        f.put("format", call.format.name());
        f.put("key", call.key == null ? null : call.key.name());
        f.put("model", call.model);
        f.put("stream", call.gatewayRequest == null ? null : String.valueOf(call.gatewayRequest.stream()));
        f.put("status", status > 0 ? String.valueOf(status) : null);
        f.put("outcome", outcome);
        f.put("error_type", error == null ? null : error.type().name().toLowerCase(Locale.ROOT));
        f.put("message", error == null ? null : truncate(error.message()));
        LLM_FIELDS.forEach((from, to) -> f.put(to, llm == null ? null : llm.get(from)));
        f.put("overhead_ms", overheadMs);
        return f;
    }

    private static Map<String, String> llmFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("profile", "profile");
        m.put("provider", "provider");
        // the gateway's own model and status are the client's; the step's are the upstream's
        m.put("model", "upstream_model");
        m.put("response_model", "response_model");
        m.put("error_kind", "error_kind");
        m.put("status", "upstream_status");
        for (String same : List.of("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "ttft_ms",
                "duration_ms", "tokens_per_s", "attempts", "retries", "fallback", "cost_usd", "error_message")) {
            m.put(same, same);
        }
        return Collections.unmodifiableMap(m);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
