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
}
