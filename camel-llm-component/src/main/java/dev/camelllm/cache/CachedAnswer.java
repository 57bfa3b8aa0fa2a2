package dev.camelllm.cache;

import java.util.List;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;

/**
 * A whole answer as it was given: the finished response and, when it came as a stream, its chunks in
 * order (ending with its {@link ChatChunk.Finish}), so that it can be replayed as the same stream.
 *
 * @param response the finished response (text, tool calls, finish reason, usage)
 * @param chunks   the stream's chunks, or null for an answer that was not streamed
 */
public record CachedAnswer(ChatResponse response, List<ChatChunk> chunks) {

    public CachedAnswer {
        if (response == null) {
            throw new IllegalArgumentException("a cached answer needs its response");
        }
        chunks = chunks == null ? null : List.copyOf(chunks);
    }

    /** Whether an answer is whole and may be cached: it finished on its own (not an error, not a refusal). */
    public static boolean cacheable(ChatResponse response) {
        if (response == null || response.finishReason() == null || response.message() == null) {
            return false;
        }
        return switch (response.finishReason()) {
            case STOP, LENGTH, TOOL_CALLS -> true;
            case CONTENT_FILTER, ERROR -> false;
        };
    }
}
