package dev.camelllm.gateway.format;

import dev.camelllm.api.ChatRequest;
import java.util.Objects;

/**
 * A decoded client request.
 *
 * @param model        the model the client asked for (selects a profile); never blank
 * @param chat         the provider-neutral request, without a model
 * @param stream       whether the client asked for server-sent events
 * @param includeUsage OpenAI {@code stream_options.include_usage}: a last chunk with usage (Anthropic streams always carry usage)
 */
public record GatewayRequest(String model, ChatRequest chat, boolean stream, boolean includeUsage) {
    public GatewayRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(chat, "chat");
    }
}
