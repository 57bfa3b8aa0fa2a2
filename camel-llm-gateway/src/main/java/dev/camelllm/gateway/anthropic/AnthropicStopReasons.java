package dev.camelllm.gateway.anthropic;

import java.util.Map;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;

/** The {@code stop_reason} of an answer, from the neutral finish reason and the upstream's own value. */
final class AnthropicStopReasons {

    /** Anthropic's stop reasons, with the neutral reason each stands for. */
    private static final Map<String, FinishReason> KNOWN = Map.of(
            "end_turn", FinishReason.STOP,
            "stop_sequence", FinishReason.STOP,
            "pause_turn", FinishReason.STOP,
            "max_tokens", FinishReason.LENGTH,
            "model_context_window_exceeded", FinishReason.LENGTH,
            "tool_use", FinishReason.TOOL_CALLS,
            "refusal", FinishReason.CONTENT_FILTER);

    private AnthropicStopReasons() {
    }

    /**
     * An Anthropic upstream's own value is kept when it agrees with the neutral reason (so stop_sequence and
     * pause_turn survive); otherwise the neutral reason is mapped. An answer with tool calls stops with
     * tool_use even when the upstream said "stop" (some OpenAI-compatible servers do), because Anthropic
     * clients run the tools only on tool_use. ERROR (the upstream ended without saying why) becomes end_turn:
     * the answer did end, and Anthropic has no reason that means "unknown".
     */
    static String of(ChatResponse response) {
        FinishReason reason = response.finishReason() == null ? FinishReason.ERROR : response.finishReason();
        if ((reason == FinishReason.STOP || reason == FinishReason.ERROR) && !response.toolCalls().isEmpty()) {
            return "tool_use";
        }
        String raw = response.rawFinishReason();
        if (raw != null && KNOWN.get(raw) == reason) {
            return raw;
        }
        return switch (reason) {
            case STOP, ERROR -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }
}
