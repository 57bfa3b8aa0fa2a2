package dev.camelllm.chatcompletions;

import java.util.Locale;

/**
 * Where a Chat Completions server puts the model's reasoning. OpenAI itself returns none; compatible
 * servers differ: DeepSeek sends {@code reasoning_content}, vLLM {@code reasoning}, Groq (raw format)
 * inlines {@code <think>…</think>} in the content.
 */
public enum ReasoningFormat {
    /** The reasoning_content and reasoning fields, and a think block that opens the content. */
    AUTO,
    REASONING_CONTENT,
    REASONING,
    /** The reasoning_content and reasoning fields only: what auto means for OpenAI, whose content is never tagged. */
    FIELDS,
    /** Think tags anywhere in the content. */
    THINK_TAGS,
    /** No reasoning is read; the content is left untouched. */
    NONE;

    public static ReasoningFormat of(String option) {
        return option == null || option.isBlank() ? AUTO : valueOf(option.trim().toUpperCase(Locale.ROOT));
    }

    boolean readsField(String field) {
        return switch (this) {
            case AUTO, FIELDS -> true;
            case REASONING_CONTENT -> field.equals("reasoning_content");
            case REASONING -> field.equals("reasoning");
            default -> false;
        };
    }

    boolean readsThinkTags() {
        return this == AUTO || this == THINK_TAGS;
    }
}
