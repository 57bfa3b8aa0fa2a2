package dev.camelllm.gateway.format;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;

/**
 * Writes one streamed answer as server-sent events of a client API. Each method returns the complete SSE
 * frames to send now ({@code "data: …\n\n"} or {@code "event: …\ndata: …\n\n"}), possibly the empty string.
 * Not thread-safe: one encoder per answer, called from one thread.
 */
public interface StreamEncoder {

    /** Frames that open the answer, sent before the first chunk (Anthropic {@code message_start}); may be empty. */
    String start();

    /** Frames for one chunk of the provider-neutral stream. Usage and finish chunks may only be remembered. */
    String chunk(ChatChunk chunk);

    /**
     * Frames that end a completed answer: open blocks closed, the finish reason and usage, and the end
     * marker (OpenAI {@code [DONE]}, Anthropic {@code message_stop}).
     *
     * @param response the assembled answer (finish reason, usage) of the stream
     */
    String finish(ChatResponse response);

    /** Frames for an error after the stream began. No end marker follows, so clients see it failed. */
    String error(GatewayError error);
}
