package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/** The Chat Completions {@code usage} object of an answer. */
final class OpenAiUsage {

    /** The provider name the Anthropic provider writes into its answers. */
    private static final String ANTHROPIC = "anthropic";

    private OpenAiUsage() {
    }

    /**
     * OpenAI's {@code prompt_tokens} counts the whole prompt, and {@code cached_tokens} is a part of it.
     * {@link Usage}'s javadoc says that is how OpenAI-style upstreams fill {@code inputTokens}, while
     * Anthropic reports cache reads and writes beside {@code input_tokens}: for an Anthropic answer the
     * three add up to the prompt. The answer's provider name tells which upstream it was.
     */
    static ObjectNode toJson(Usage usage, String provider) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        long prompt = ANTHROPIC.equals(provider)
                ? u.inputTokens() + u.cacheReadTokens() + u.cacheWriteTokens()
                : u.inputTokens();
        ObjectNode node = Json.object();
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", u.outputTokens());
        node.put("total_tokens", prompt + u.outputTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
        return node;
    }
}
