package dev.camelllm.api;

import java.util.Locale;

/** Why generation stopped, normalised across providers. The provider's own value is kept beside it. */
public enum FinishReason {
    STOP,
    LENGTH,
    TOOL_CALLS,
    CONTENT_FILTER,
    ERROR;

    /** The value used in the {@code CamelLlmFinishReason} header: {@code stop}, {@code length}, … */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
