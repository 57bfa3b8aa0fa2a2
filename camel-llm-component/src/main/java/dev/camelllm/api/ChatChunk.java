package dev.camelllm.api;

/**
 * One event of a streamed answer, the same for every provider. Text and thinking come as deltas; tool
 * calls come as deltas while their arguments arrive and once complete; usage and finish at the end.
 */
public sealed interface ChatChunk {

    /**
     * Whether this chunk is part of the answer itself (text, thinking or a tool call), as opposed to
     * metadata (usage, finish). The first such chunk is the "first token": it starts the time to first
     * token, stops the first-token timeout, and ends the window in which a stream may be retried.
     */
    default boolean isOutput() {
        return (this instanceof TextDelta t && !t.text().isEmpty()) || this instanceof ThinkingDelta
                || this instanceof ToolCallDelta || this instanceof ToolCallComplete || this instanceof RedactedThinking;
    }

    record TextDelta(String text) implements ChatChunk {
    }

    record ThinkingDelta(String text) implements ChatChunk {
    }

    /** The signature of the thinking block just streamed (Anthropic), to echo back unchanged. */
    record ThinkingSignature(String signature) implements ChatChunk {
    }

    record RedactedThinking(String data) implements ChatChunk {
    }

    /** A fragment of a tool call; {@code index} says which call when several stream side by side. */
    record ToolCallDelta(int index, String id, String name, String argumentsDelta) implements ChatChunk {
    }

    /** A tool call whose arguments are complete. */
    record ToolCallComplete(int index, ToolCall call) implements ChatChunk {
    }

    record UsageUpdate(Usage usage) implements ChatChunk {
    }

    record Finish(FinishReason reason, String rawReason) implements ChatChunk {
    }
}
