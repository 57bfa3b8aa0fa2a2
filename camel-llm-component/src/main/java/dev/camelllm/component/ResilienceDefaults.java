package dev.camelllm.component;

import java.util.function.Function;

import dev.camelllm.api.LlmConfigurationException;

/**
 * Fills the resilience options a route left unset from the seeds' variables RETRY_MAX_RETRIES,
 * RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_PER_HOUR and
 * MAX_CONCURRENT_REQUESTS, then the built-in defaults (3 retries, 1 s initial, 10 s max).
 */
final class ResilienceDefaults {

    private ResilienceDefaults() {
    }

    static void apply(LlmConfiguration config, Function<String, String> env) {
        if (config.getMaxRetries() == null) {
            config.setMaxRetries(intFrom(env, "RETRY_MAX_RETRIES", 3));
        }
        if (config.getRetryInitialDelay() == null) {
            config.setRetryInitialDelay((long) intFrom(env, "RETRY_INITIAL_DELAY_MS", 1000));
        }
        if (config.getRetryMaxDelay() == null) {
            config.setRetryMaxDelay((long) intFrom(env, "RETRY_MAX_DELAY_MS", 10000));
        }
        if (config.getRateLimitPerMinute() == null) {
            config.setRateLimitPerMinute(intFrom(env, "RATE_LIMIT_PER_MINUTE", 0));
        }
        if (config.getRateLimitPerHour() == null) {
            config.setRateLimitPerHour(intFrom(env, "RATE_LIMIT_PER_HOUR", 0));
        }
        if (config.getMaxConcurrentRequests() == null) {
            config.setMaxConcurrentRequests(intFrom(env, "MAX_CONCURRENT_REQUESTS", 0));
        }
    }

    private static int intFrom(Function<String, String> env, String name, int fallback) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new LlmConfigurationException(name + " must be a whole number, was '" + v.trim() + "'");
        }
    }
}
