package dev.camelllm.provider.openai;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.chatcompletions.OpenAiEmbeddings;
import dev.camelllm.chatcompletions.ChatCompletionsDialect;
import dev.camelllm.chatcompletions.ChatCompletionsProvider;
import dev.camelllm.chatcompletions.ReasoningFormat;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.spi.RequestDefaults;

/**
 * {@code provider=openai}: OpenAI's Chat Completions API, or the user's own proxy in front of it. The key
 * is required only for OpenAI's own URL; a proxy at a custom baseUrl may hold the key itself, and then no
 * auth header is sent.
 */
public class OpenAiProviderFactory implements ChatProviderFactory {

    public static final String NAME = "openai";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings options, ProviderContext context) {
        ProviderSettings settings = EnvironmentDefaults.apply("OPENAI", options, context);
        String model = settings.model();
        if (model == null) {
            throw new LlmConfigurationException(NAME, null,
                    "Option 'model' is required for provider openai (or set the OPENAI_MODEL environment variable)");
        }
        String baseUrl = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl();
        boolean official = stripSlashes(baseUrl).equalsIgnoreCase(DEFAULT_BASE_URL);
        if (official && settings.apiKey() == null) {
            throw new LlmConfigurationException(NAME, model, "Option 'apiKey' is required for provider openai at "
                    + DEFAULT_BASE_URL + ": set apiKey or the OPENAI_API_KEY environment variable "
                    + "(or point baseUrl at a proxy that holds the key)");
        }
        String field = settings.string("maxTokensField");
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(
                NAME,
                ChatCompletionsDialect.chatCompletions(baseUrl),
                settings.apiKey(),
                settings.string("authHeader"),
                authScheme(settings),
                field != null ? field : "max_completion_tokens",
                settings.bool("streamUsage", true),
                reasoningFormat(settings.string("reasoningFormat")),
                true,
                false);
        return new ChatCompletionsProvider(dialect, model, context.service(HttpTransport.class), Timeouts.of(settings),
                RequestDefaults.of(settings), SseChatStream.maxEventBytes(settings)).embeddingBatch(OpenAiEmbeddings.batchSize(settings));
    }

    /** The scheme written before the key; an option set to empty means the raw key. */
    static String authScheme(ProviderSettings settings) {
        Object v = settings.value("authScheme");
        return v == null ? "" : v.toString();
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
