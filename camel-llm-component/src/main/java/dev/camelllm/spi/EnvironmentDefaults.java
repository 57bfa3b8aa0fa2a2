package dev.camelllm.spi;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;

/**
 * Fills options a route left unset from the seeds' environment variables ({@code <PREFIX>_API_KEY},
 * {@code _MODEL}, {@code _MAX_TOKENS}, {@code _TEMPERATURE}), validating numbers. Options set on the
 * component or endpoint always win.
 */
public final class EnvironmentDefaults {

    private EnvironmentDefaults() {
    }

    public static void apply(String prefix, LlmConfiguration config, ProviderContext context) {
        if (config.getApiKey() == null) {
            config.setApiKey(context.env(prefix + "_API_KEY"));
        }
        if (config.getModel() == null) {
            config.setModel(context.env(prefix + "_MODEL"));
        }
        if (config.getMaxTokens() == null) {
            String v = context.env(prefix + "_MAX_TOKENS");
            if (v != null) {
                try {
                    config.setMaxTokens(Integer.valueOf(v));
                } catch (NumberFormatException e) {
                    throw new LlmConfigurationException(prefix + "_MAX_TOKENS must be a whole number, was '" + v + "'");
                }
            }
        }
        if (config.getTemperature() == null) {
            String v = context.env(prefix + "_TEMPERATURE");
            if (v != null) {
                try {
                    config.setTemperature(Double.valueOf(v));
                } catch (NumberFormatException e) {
                    throw new LlmConfigurationException(prefix + "_TEMPERATURE must be a number, was '" + v + "'");
                }
            }
        }
    }

    /**
     * Fills the resilience options a route left unset from the seeds' variables RETRY_MAX_RETRIES,
     * RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_PER_HOUR and
     * MAX_CONCURRENT_REQUESTS, then the built-in defaults (3 retries, 1 s initial, 10 s max).
     */
    public static void applyResilience(LlmConfiguration config, java.util.function.Function<String, String> env) {
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

    private static int intFrom(java.util.function.Function<String, String> env, String name, int fallback) {
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
