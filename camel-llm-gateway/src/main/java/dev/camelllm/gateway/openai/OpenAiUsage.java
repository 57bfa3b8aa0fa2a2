package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.PromptTokens;
import dev.camelllm.spi.Json;

/** The Chat Completions {@code usage} object of an answer. */
final class OpenAiUsage {

    private OpenAiUsage() {
    }

    /** OpenAI's {@code prompt_tokens} counts the whole prompt, and {@code cached_tokens} is a part of it. */
    static ObjectNode toJson(Usage usage, String provider) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        long prompt = PromptTokens.whole(u, provider);
        ObjectNode node = Json.object();
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", u.outputTokens());
        node.put("total_tokens", prompt + u.outputTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
        if (u.reasoningTokens() > 0) {
            // a part of completion_tokens, as OpenAI counts them
            node.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        }
        return node;
    }
}
