package dev.camelllm.gateway.openai;

import dev.camelllm.api.FinishReason;

/** The Chat Completions {@code finish_reason} of a finished answer. */
final class OpenAiFinishReasons {

    private OpenAiFinishReasons() {
    }

    /**
     * {@link FinishReason#ERROR} (an answer that ended without saying why) becomes {@code stop}: clients
     * know only the four values, and an answer that reaches an encoder was delivered whole; a failure is
     * sent as an error, not as a finish reason.
     */
    static String of(FinishReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case STOP, ERROR -> "stop";
        };
    }
}
