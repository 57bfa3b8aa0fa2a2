package dev.camelllm.gateway.format;

import dev.camelllm.api.Usage;

/**
 * The prompt's token count as each client API wants it. {@link Usage} keeps each upstream's own way
 * (see its javadoc): OpenAI-style upstreams count cached tokens inside {@code inputTokens}; Anthropic
 * reports cache reads and writes beside it. The answer's provider name tells which way a usage was filled.
 */
public final class PromptTokens {

    /** The provider name the Anthropic provider writes into its answers. */
    private static final String ANTHROPIC = "anthropic";

    private PromptTokens() {
    }

    /** The whole prompt, cached tokens included (OpenAI's {@code prompt_tokens}). */
    public static long whole(Usage usage, String provider) {
        return ANTHROPIC.equals(provider)
                ? usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens()
                : usage.inputTokens();
    }

    /** The prompt without its cached tokens (Anthropic's {@code input_tokens}), so that clients adding the three do not count them twice. */
    public static long uncached(Usage usage, String provider) {
        return ANTHROPIC.equals(provider) ? usage.inputTokens()
                : Math.max(0, usage.inputTokens() - usage.cacheReadTokens() - usage.cacheWriteTokens());
    }
}
