package dev.camelllm.api;

/**
 * Token usage. Cache tokens are those read from or written to the provider's prompt cache; they are not
 * included in inputTokens for Anthropic, and are a subset of inputTokens for OpenAI (as each reports).
 * Reasoning tokens are the part of outputTokens the model spent thinking (OpenAI's
 * {@code reasoning_tokens}); 0 when the provider does not say.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                    long reasoningTokens) {

    public static final Usage EMPTY = new Usage(0, 0, 0, 0, 0);

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0, 0, 0);
    }

    public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /**
     * Merges a later usage report into this one: a non-zero value in the later report wins. Anthropic
     * streams report input tokens at the start and cumulative output tokens at the end.
     */
    public Usage merge(Usage later) {
        if (later == null) {
            return this;
        }
        return new Usage(
                later.inputTokens != 0 ? later.inputTokens : inputTokens,
                later.outputTokens != 0 ? later.outputTokens : outputTokens,
                later.cacheReadTokens != 0 ? later.cacheReadTokens : cacheReadTokens,
                later.cacheWriteTokens != 0 ? later.cacheWriteTokens : cacheWriteTokens,
                later.reasoningTokens != 0 ? later.reasoningTokens : reasoningTokens);
    }
}
