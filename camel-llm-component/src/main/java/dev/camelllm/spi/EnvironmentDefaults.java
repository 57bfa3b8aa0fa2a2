package dev.camelllm.spi;

import java.util.HashMap;
import java.util.Map;

import dev.camelllm.api.LlmConfigurationException;

/**
 * Fills options a route left unset from the seeds' environment variables ({@code <PREFIX>_API_KEY},
 * {@code _MODEL}, {@code _MAX_TOKENS}, {@code _TEMPERATURE}), validating numbers. Options set on the
 * component or endpoint always win.
 */
public final class EnvironmentDefaults {

    private EnvironmentDefaults() {
    }

    public static ProviderSettings apply(String prefix, ProviderSettings settings, ProviderContext context) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("apiKey", context.env(prefix + "_API_KEY"));
        defaults.put("model", context.env(prefix + "_MODEL"));
        String maxTokens = context.env(prefix + "_MAX_TOKENS");
        if (maxTokens != null && settings.maxTokens() == null) {
            try {
                defaults.put("maxTokens", Integer.valueOf(maxTokens));
            } catch (NumberFormatException e) {
                throw new LlmConfigurationException(prefix + "_MAX_TOKENS must be a whole number, was '" + maxTokens + "'");
            }
        }
        String temperature = context.env(prefix + "_TEMPERATURE");
        if (temperature != null && settings.temperature() == null) {
            try {
                defaults.put("temperature", Double.valueOf(temperature));
            } catch (NumberFormatException e) {
                throw new LlmConfigurationException(prefix + "_TEMPERATURE must be a number, was '" + temperature + "'");
            }
        }
        return settings.withDefaults(defaults);
    }
}
