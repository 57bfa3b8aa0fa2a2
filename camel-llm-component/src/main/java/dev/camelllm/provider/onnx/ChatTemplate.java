package dev.camelllm.provider.onnx;

import java.util.List;
import java.util.Map;

/**
 * Turns a conversation into the model's prompt text. Messages and tools come as Hugging Face style maps
 * (role, content, tool_calls [{type, function: {name, arguments}}], tool_call_id; tools as
 * {type: function, function: {name, description, parameters}}), as {@code apply_chat_template} gets them.
 */
interface ChatTemplate {

    /** What renders, for the logs. */
    String description();

    /**
     * @param tools null when the request has none
     * @param variables further template variables, e.g. {@code enable_thinking}; may be empty
     */
    String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt,
                  Map<String, Object> variables);

    /** A template that cannot render a conversation, or that refuses it on purpose (raise_exception). */
    final class TemplateException extends RuntimeException {
        private final boolean refusal;

        TemplateException(String message, Throwable cause) {
            this(message, cause, false);
        }

        TemplateException(String message, Throwable cause, boolean refusal) {
            super(message, cause);
            this.refusal = refusal;
        }

        /** The template's own rule refused the conversation: it works, only not for this one. */
        boolean refusal() {
            return refusal;
        }
    }
}
