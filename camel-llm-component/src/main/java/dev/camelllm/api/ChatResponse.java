package dev.camelllm.api;

import java.util.List;

/**
 * A finished answer: the assistant message, why it stopped (normalised and raw), usage, who answered and
 * how fast. {@code timeToFirstTokenMs} is -1 for non-streaming calls.
 */
public record ChatResponse(
        ChatMessage message,
        FinishReason finishReason,
        String rawFinishReason,
        Usage usage,
        String provider,
        String model,
        long timeToFirstTokenMs,
        long durationMs) {

    public String text() {
        return message.text();
    }

    public String thinking() {
        return message.thinking();
    }

    public List<ToolCall> toolCalls() {
        return message.toolCalls();
    }

    /** Output tokens per second over the generation time (after the first token when streaming). */
    public double tokensPerSecond() {
        long generationMs = timeToFirstTokenMs >= 0 ? durationMs - timeToFirstTokenMs : durationMs;
        if (usage == null || usage.outputTokens() <= 0 || generationMs <= 0) {
            return 0.0;
        }
        return usage.outputTokens() * 1000.0 / generationMs;
    }

    public ChatResponse withTimings(long timeToFirstTokenMs, long durationMs) {
        return new ChatResponse(message, finishReason, rawFinishReason, usage, provider, model, timeToFirstTokenMs,
                durationMs);
    }
}
