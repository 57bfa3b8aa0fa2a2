package dev.camelllm.provider.openai;

import dev.camelllm.chatcompletions.ChatCompletionsDialect;
import dev.camelllm.chatcompletions.ReasoningFormat;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import dev.camelllm.api.LlmConfigurationException;
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
 * {@code provider=openai-responses}: OpenAI's Responses API, statelessly. Same key, base URL and auth
 * options as {@code provider=openai} (and the same {@code OPENAI_*} environment defaults); its own options
 * {@code provider.reasoningEffort} ({@code minimal}, {@code low}, {@code medium}, {@code high}; else derived
 * from {@code thinkingBudget}) and {@code provider.reasoningSummary} ({@code auto} by default when reasoning
 * is on, {@code concise}, {@code detailed} or {@code none}).
 */
public class OpenAiResponsesProviderFactory implements ChatProviderFactory {

    public static final String NAME = "openai-responses";
    private static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high");
    private static final Set<String> SUMMARIES = Set.of("auto", "concise", "detailed", "none");

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
                    "Option 'model' is required for provider openai-responses (or set the OPENAI_MODEL environment variable)");
        }
        String baseUrl = stripSlashes(settings.baseUrl() == null ? OpenAiProviderFactory.DEFAULT_BASE_URL : settings.baseUrl());
        if (baseUrl.equalsIgnoreCase(OpenAiProviderFactory.DEFAULT_BASE_URL) && settings.apiKey() == null) {
            throw new LlmConfigurationException(NAME, model, "Option 'apiKey' is required for provider openai-responses at "
                    + OpenAiProviderFactory.DEFAULT_BASE_URL + ": set apiKey or the OPENAI_API_KEY environment variable "
                    + "(or point baseUrl at a proxy that holds the key)");
        }
        String effort = oneOf(settings.extra("reasoningEffort"), EFFORTS, "provider.reasoningEffort", model);
        String summary = oneOf(settings.extra("reasoningSummary"), SUMMARIES, "provider.reasoningSummary", model);
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(NAME, URI.create(baseUrl + "/responses"),
                settings.apiKey(), settings.string("authHeader"), OpenAiProviderFactory.authScheme(settings),
                "max_output_tokens", false, ReasoningFormat.NONE, true, false);
        ResponsesRequestWriter writer = new ResponsesRequestWriter(NAME, effort,
                summary == null ? "auto" : "none".equals(summary) ? null : summary);
        return new ResponsesProvider(dialect, URI.create(baseUrl + "/models"), model, context.service(HttpTransport.class),
                Timeouts.of(settings), RequestDefaults.of(settings), writer, SseChatStream.maxEventBytes(settings));
    }

    private static String oneOf(String value, Set<String> allowed, String option, String model) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new LlmConfigurationException(NAME, model, "Option '" + option + "' must be one of "
                    + allowed.stream().sorted().toList() + ", was '" + value + "'");
        }
        return v;
    }

    private static String stripSlashes(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
