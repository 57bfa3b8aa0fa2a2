package dev.camelllm.provider.gemini;

import java.util.Locale;
import java.util.function.Supplier;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.BearerTokens;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.spi.RequestDefaults;

/**
 * {@code provider=gemini}: Google's Gemini API ({@code https://generativelanguage.googleapis.com/v1beta},
 * key in {@code x-goog-api-key}), or Vertex AI: {@code baseUrl} set to
 * {@code https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google}
 * and {@code provider.tokenSupplier} naming a bean of Google Cloud access tokens.
 */
public class GeminiProviderFactory implements ChatProviderFactory {

    public static final String NAME = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings options, ProviderContext context) {
        ProviderSettings settings = EnvironmentDefaults.apply("GEMINI", options, context);
        String model = settings.model();
        if (model == null) {
            throw new LlmConfigurationException(NAME, null, "Option 'model' is required for provider gemini, e.g. "
                    + "gemini-2.5-flash (or set the GEMINI_MODEL environment variable)");
        }
        String base = stripSlashes(settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl());
        Supplier<String> token = BearerTokens.lookup(settings, context, NAME, model);
        // GOOGLE_API_KEY is the other name Google's SDKs read
        String key = settings.apiKey() != null ? settings.apiKey() : context.env("GOOGLE_API_KEY");
        if (token == null && key == null && base.equalsIgnoreCase(DEFAULT_BASE_URL)) {
            throw new LlmConfigurationException(NAME, model, "Provider gemini needs a credential: set apiKey (or the "
                    + "GEMINI_API_KEY environment variable), or provider.tokenSupplier to the name of a "
                    + "Callable<String> bean of access tokens (Vertex AI)");
        }
        String level = settings.extra("thinkingLevel");
        GeminiOptions gemini = new GeminiOptions(settings.thinkingBudget(),
                level == null ? null : level.toLowerCase(Locale.ROOT), includeThoughts(settings.extra("includeThoughts")));
        String taskType = GeminiEmbeddings.taskType(settings);
        int batch = GeminiEmbeddings.batchSize(settings);
        return new GeminiProvider(base, token == null ? key : null, token, model, context.service(HttpTransport.class),
                Timeouts.of(settings), RequestDefaults.of(settings), SseChatStream.maxEventBytes(settings), gemini,
                taskType, batch);
    }

    private static Boolean includeThoughts(String value) {
        if (value == null) {
            return null;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new LlmConfigurationException(NAME, null, "provider.includeThoughts must be true or false, was '"
                    + value + "'");
        }
        return Boolean.valueOf(value);
    }

    private static String stripSlashes(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
