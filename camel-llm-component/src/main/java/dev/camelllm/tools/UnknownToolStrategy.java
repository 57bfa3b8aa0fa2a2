package dev.camelllm.tools;

import java.util.Locale;

/** What the tool loop does when the model calls a tool the request did not declare. */
public enum UnknownToolStrategy {
    /** Fail the exchange with {@link LlmToolLoopException} (reason {@code UNKNOWN_TOOL}). */
    FAIL("fail"),
    /** Answer the call with an error result naming the declared tools, and let the model try again (within maxToolRounds). */
    TELL_MODEL("tellModel");

    private final String option;

    UnknownToolStrategy(String option) {
        this.option = option;
    }

    /** The option's value for this strategy. */
    public String option() {
        return option;
    }

    /** The strategy an option value names (case-insensitive), or null when it names none. */
    public static UnknownToolStrategy of(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (UnknownToolStrategy s : values()) {
            if (s.option.toLowerCase(Locale.ROOT).equals(v)) {
                return s;
            }
        }
        return null;
    }
}
