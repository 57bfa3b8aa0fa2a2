package dev.camelllm.provider.anthropic;

import java.net.URI;

import dev.camelllm.http.Timeouts;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;

/**
 * Creates the {@code anthropic} provider. Options left unset come from ANTHROPIC_API_KEY, ANTHROPIC_MODEL
 * and ANTHROPIC_MAX_TOKENS. A key is required only for Anthropic's own API: a custom baseUrl may be a
 * proxy that holds the key.
 */
public final class AnthropicProviderFactory implements ChatProviderFactory {

    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    private static final String DEFAULT_HOST = "api.anthropic.com";

    @Override
    public ChatProvider create(LlmConfiguration config, ProviderContext context) {
        EnvironmentDefaults.apply("ANTHROPIC", config, context);
        String model = config.getModel();
        if (model == null || model.isBlank()) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, null,
                    "Option 'model' is required: set model (e.g. claude-sonnet-4-5) or the ANTHROPIC_MODEL environment variable");
        }
        String baseUrl = config.getBaseUrl() == null || config.getBaseUrl().isBlank() ? DEFAULT_BASE_URL
                : config.getBaseUrl().trim();
        URI uri = messagesUri(baseUrl);
        String apiKey = config.getApiKey() == null || config.getApiKey().isBlank() ? null : config.getApiKey().trim();
        if (apiKey == null && DEFAULT_HOST.equalsIgnoreCase(uri.getHost())) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model,
                    "Option 'apiKey' is required for " + DEFAULT_BASE_URL + ": set apiKey or the ANTHROPIC_API_KEY "
                            + "environment variable (or set baseUrl to your own proxy that adds the key)");
        }
        String version = config.getAnthropicVersion();
        if (version == null || version.isBlank()) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model,
                    "Option 'anthropicVersion' must not be empty (e.g. 2023-06-01)");
        }
        int maxTokens = config.getMaxTokens() != null ? config.getMaxTokens() : AnthropicProvider.DEFAULT_MAX_TOKENS;
        int budget = config.getThinkingBudget() != null ? config.getThinkingBudget() : 0;
        String problem = AnthropicProvider.thinkingProblem(budget, maxTokens);
        if (problem != null) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model, "Invalid value '" + budget
                    + "' of option 'thinkingBudget': " + problem);
        }
        return new AnthropicProvider(context.http(), uri, apiKey, version.trim(), model.trim(), config.getMaxTokens(),
                config.getThinkingBudget(), Timeouts.of(config));
    }

    /** {baseUrl}/v1/messages; a baseUrl that already ends in /v1 is accepted as well. */
    static URI messagesUri(String baseUrl) {
        String base = baseUrl;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (!base.endsWith("/v1")) {
            base += "/v1";
        }
        try {
            URI uri = URI.create(base + "/messages");
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, null,
                    "Invalid value '" + baseUrl + "' of option 'baseUrl': not an http(s) URL with a host");
        }
    }
}
