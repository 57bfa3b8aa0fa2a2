package dev.camelllm.observability;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.resilience.LocalLimitException;

/**
 * A profile's spending budget is used up for its period: the call was refused before reaching the
 * provider. Kind QUOTA, never retried; the profile's fallbacks still apply (e.g. a local model).
 */
public class LlmBudgetExceededException extends LocalLimitException {

    private final String profile;

    public LlmBudgetExceededException(String profile, String provider, String model, String message) {
        super(ErrorKind.QUOTA, provider, model, message);
        this.profile = profile;
    }

    /** The profile (endpoint name) whose budget is spent. */
    public String profile() {
        return profile;
    }
}
