package dev.camelllm.observability;

import dev.camelllm.api.Usage;

/**
 * The facts of one finished request, for the metrics and the request log line. Never a prompt, a
 * completion or a key.
 *
 * @param requestId       the request id: the exchange property CamelLlmRequestId (the gateway's), else the exchange id
 * @param profile         the llm: endpoint (profile) the route called
 * @param provider        the provider that answered, or the one that failed
 * @param requestModel    the model asked for
 * @param responseModel   the model that answered (null when none did)
 * @param stream          a streamed call
 * @param errorType       null on success; else the ErrorKind name (or the exception's class name)
 * @param statusCode      the upstream's HTTP status of a failure, 0 when none
 * @param errorMessage    the failure's message, already redacted
 * @param usage           token usage (EMPTY when unknown)
 * @param ttftMs          time to first token of a stream, -1 when none
 * @param durationMs      the whole call, retries and fallbacks included
 * @param tokensPerSecond output tokens per second of generation, 0 when unknown
 * @param attempts        attempts over all fallbacks
 * @param retries         attempts that were retries
 * @param fallback        the fallback profile that answered, null when none did
 * @param costUsd         the cost, null when the model has no price
 * @param operation       what was asked: {@link #CHAT} or {@link #EMBEDDINGS} (the GenAI conventions' operation name)
 */
public record RequestRecord(
        String requestId,
        String profile,
        String provider,
        String requestModel,
        String responseModel,
        boolean stream,
        String errorType,
        int statusCode,
        String errorMessage,
        Usage usage,
        long ttftMs,
        long durationMs,
        double tokensPerSecond,
        int attempts,
        int retries,
        String fallback,
        Double costUsd,
        String operation) {

    public static final String CHAT = "chat";
    public static final String EMBEDDINGS = "embeddings";

    public boolean ok() {
        return errorType == null;
    }
}
