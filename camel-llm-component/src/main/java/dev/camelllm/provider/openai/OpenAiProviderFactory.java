package dev.camelllm.provider.openai;


import dev.camelllm.http.Timeouts;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;

/**
 * {@code provider=openai}: OpenAI's Chat Completions API, or the user's own proxy in front of it. The key
 * is required only for OpenAI's own URL; a proxy at a custom baseUrl may hold the key itself, and then no
 * auth header is sent.
 */
public class OpenAiProviderFactory implements ChatProviderFactory {

    public static final String NAME = "openai";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    @Override
    public ChatProvider create(LlmConfiguration config, ProviderContext context) {
        EnvironmentDefaults.apply("OPENAI", config, context);
        String model = config.getModel();
        if (model == null || model.isBlank()) {
            throw new LlmConfigurationException(NAME, null,
                    "Option 'model' is required for provider openai (or set the OPENAI_MODEL environment variable)");
        }
        String baseUrl = config.getBaseUrl() == null || config.getBaseUrl().isBlank() ? DEFAULT_BASE_URL
                : config.getBaseUrl().trim();
        boolean official = stripSlashes(baseUrl).equalsIgnoreCase(DEFAULT_BASE_URL);
        if (official && (config.getApiKey() == null || config.getApiKey().isBlank())) {
            throw new LlmConfigurationException(NAME, model, "Option 'apiKey' is required for provider openai at "
                    + DEFAULT_BASE_URL + ": set apiKey or the OPENAI_API_KEY environment variable "
                    + "(or point baseUrl at a proxy that holds the key)");
        }
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(
                NAME,
                ChatCompletionsDialect.chatCompletions(baseUrl),
                config.getApiKey(),
                config.getAuthHeader(),
                config.getAuthScheme(),
                config.getMaxTokensField() != null ? config.getMaxTokensField() : "max_completion_tokens",
                config.getStreamUsage() == null || config.getStreamUsage(),
                reasoningFormat(config.getReasoningFormat()),
                true,
                false);
        return new ChatCompletionsProvider(dialect, model.trim(), context.http(), Timeouts.of(config));
    }

    /** An answer that happens to start with a think tag is left alone unless think_tags is asked for. */
    private static ReasoningFormat reasoningFormat(String option) {
        ReasoningFormat f = ReasoningFormat.of(option);
        return f == ReasoningFormat.AUTO ? ReasoningFormat.FIELDS : f;
    }

    private static String stripSlashes(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
