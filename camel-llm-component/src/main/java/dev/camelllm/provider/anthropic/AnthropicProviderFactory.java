package dev.camelllm.provider.anthropic;

import java.net.URI;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * Creates the {@code anthropic} provider. Options left unset come from ANTHROPIC_API_KEY, ANTHROPIC_MODEL
 * and ANTHROPIC_MAX_TOKENS. A key is required only for Anthropic's own API: a custom baseUrl may be a
 * proxy that holds the key.
 */
public final class AnthropicProviderFactory implements ChatProviderFactory {

    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    private static final String DEFAULT_HOST = "api.anthropic.com";

    @Override
    public String name() {
        return AnthropicProvider.NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings options, ProviderContext context) {
        ProviderSettings config = EnvironmentDefaults.apply("ANTHROPIC", options, context);
        String model = config.model();
        if (model == null) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, null,
                    "Option 'model' is required: set model (e.g. claude-sonnet-4-5) or the ANTHROPIC_MODEL environment variable");
        }
        String baseUrl = config.baseUrl() == null ? DEFAULT_BASE_URL : config.baseUrl();
        URI uri = messagesUri(baseUrl);
        String apiKey = config.apiKey();
        if (apiKey == null && DEFAULT_HOST.equalsIgnoreCase(uri.getHost())) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model,
                    "Option 'apiKey' is required for " + DEFAULT_BASE_URL + ": set apiKey or the ANTHROPIC_API_KEY "
                            + "environment variable (or set baseUrl to your own proxy that adds the key)");
        }
        String version = config.string("anthropicVersion");
        if (version == null) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model,
                    "Option 'anthropicVersion' must not be empty (e.g. 2023-06-01)");
        }
        int maxTokens = config.maxTokens() != null ? config.maxTokens() : AnthropicProvider.DEFAULT_MAX_TOKENS;
        int budget = config.thinkingBudget() != null ? config.thinkingBudget() : 0;
        String problem = AnthropicProvider.thinkingProblem(budget, maxTokens);
        if (problem != null) {
            throw new LlmConfigurationException(AnthropicProvider.NAME, model, "Invalid value '" + budget
                    + "' of option 'thinkingBudget': " + problem);
        }
        return new AnthropicProvider(context.service(HttpTransport.class), uri, apiKey, version, model, config.maxTokens(),
                config.thinkingBudget(), Timeouts.of(config), config.temperature(), SseChatStream.maxEventBytes(config));
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
