package dev.camelllm.observability.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.camelllm.spi.Json;

/**
 * One finished llm: call, for the usage endpoint: who asked (profile, gateway key name: never the key), who
 * answered, what it used and cost, how long it took and how it ended. Never a prompt or a completion.
 *
 * @param requestId       the request id (the gateway's x-request-id, else the exchange id)
 * @param finishedAt      when the call ended (for a stream: its last chunk, or its failure)
 * @param profile         the profile (llm: endpoint) that served the call
 * @param provider        the provider that answered, or the one that failed
 * @param model           the model asked for
 * @param responseModel   the model that answered, null when none did
 * @param gatewayKey      the gateway key's name, null for a call that did not come through the gateway
 * @param stream          a streamed call
 * @param outcome         ok, error or cancelled
 * @param errorType       the ErrorKind (or exception class) of a failure, null on success
 * @param inputTokens     input tokens the provider counted (0 on a cache hit: no provider was called)
 * @param outputTokens    output tokens
 * @param cachedTokens    input tokens read from the provider's prompt cache
 * @param reasoningTokens reasoning tokens, null while the providers' usage does not report them apart
 * @param costUsd         the cost from the price table, null when the model has no price (0 on a cache hit)
 * @param ttftMs          time to first token of a stream, null when not streamed
 * @param durationMs      the whole call, retries and fallbacks included
 * @param attempts        attempts over all fallbacks
 * @param fallback        the fallback profile that answered, null when none did
 * @param cacheHit        answered from the response cache
 */
public record UsageRecord(
        String requestId,
        Instant finishedAt,
        String profile,
        String provider,
        String model,
        String responseModel,
        String gatewayKey,
        boolean stream,
        String outcome,
        String errorType,
        long inputTokens,
        long outputTokens,
        long cachedTokens,
        Long reasoningTokens,
        Double costUsd,
        Long ttftMs,
        long durationMs,
        int attempts,
        String fallback,
        boolean cacheHit) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";

    /**
     * The record as column-named values (snake_case), in a stable order, for camel-sql's named parameters
     * ({@code :#input_tokens}) or any Map-minded endpoint. {@code finished_at} is an OffsetDateTime in UTC
     * (JDBC drivers bind it to {@code timestamptz}); absent values are null.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", requestId);
        m.put("finished_at", OffsetDateTime.ofInstant(finishedAt, ZoneOffset.UTC));
        m.put("profile", profile);
        m.put("provider", provider);
        m.put("model", model);
        m.put("response_model", responseModel);
        m.put("gateway_key", gatewayKey);
        m.put("stream", stream);
        m.put("outcome", outcome);
        m.put("error_type", errorType);
        m.put("input_tokens", inputTokens);
        m.put("output_tokens", outputTokens);
        m.put("cached_tokens", cachedTokens);
        m.put("reasoning_tokens", reasoningTokens);
        m.put("cost_usd", costUsd);
        m.put("ttft_ms", ttftMs);
        m.put("duration_ms", durationMs);
        m.put("attempts", attempts);
        m.put("fallback", fallback);
        m.put("cache_hit", cacheHit);
        return m;
    }

    /** The same fields as one JSON object ({@code finished_at} as ISO-8601 text), e.g. for Kafka or a file. */
    public String toJson() {
        Map<String, Object> m = toMap();
        m.put("finished_at", finishedAt.toString());
        return Json.write(m);
    }
}
