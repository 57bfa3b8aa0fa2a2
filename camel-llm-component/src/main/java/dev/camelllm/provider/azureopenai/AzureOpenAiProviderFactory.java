package dev.camelllm.provider.azureopenai;

import java.util.function.Supplier;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.chatcompletions.ChatCompletionsDialect;
import dev.camelllm.chatcompletions.ChatCompletionsProvider;
import dev.camelllm.chatcompletions.OpenAiEmbeddings;
import dev.camelllm.chatcompletions.ReasoningFormat;
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
 * {@code provider=azure-openai}: a deployment of Azure OpenAI (or Azure AI Foundry), which speaks Chat
 * Completions. {@code baseUrl} is the resource endpoint; {@code model} the deployment name. The v1 API
 * ({@code {endpoint}/openai/v1/chat/completions}) is the default; {@code provider.apiVersion=2024-10-21}
 * (any dated version) uses the deployment URL with {@code ?api-version=}. The key goes in the {@code api-key}
 * header; {@code provider.tokenSupplier} names a {@code Callable<String>} bean of Microsoft Entra ID access
 * tokens instead, sent as a bearer token. Embeddings ({@code operation=embed}, with an embedding deployment)
 * go to {@code /openai/v1/embeddings} or {@code /openai/deployments/{deployment}/embeddings?api-version=…}.
 */
public class AzureOpenAiProviderFactory implements ChatProviderFactory {

    public static final String NAME = "azure-openai";
    static final String ENV_PREFIX = "AZURE_OPENAI";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings options, ProviderContext context) {
        ProviderSettings settings = EnvironmentDefaults.apply(ENV_PREFIX, options, context);
        String endpoint = settings.baseUrl() != null ? settings.baseUrl() : context.env(ENV_PREFIX + "_ENDPOINT");
        if (endpoint == null) {
            throw new LlmConfigurationException(NAME, settings.model(), "Option 'baseUrl' is required for provider "
                    + NAME + ": the resource endpoint, e.g. https://my-resource.openai.azure.com (or set "
                    + ENV_PREFIX + "_ENDPOINT)");
        }
        String deployment = settings.model() != null ? settings.model() : context.env(ENV_PREFIX + "_DEPLOYMENT");
        if (deployment == null) {
            throw new LlmConfigurationException(NAME, null, "Option 'model' is required for provider " + NAME
                    + ": the deployment name (or set " + ENV_PREFIX + "_DEPLOYMENT)");
        }
        String version = settings.extra("apiVersion") != null ? settings.extra("apiVersion")
                : context.env(ENV_PREFIX + "_API_VERSION");
        AzureEndpoints urls = AzureEndpoints.of(endpoint, deployment, version);

        Supplier<String> token = BearerTokens.lookup(settings, context, NAME, deployment);
        if (token == null && settings.apiKey() == null) {
            throw new LlmConfigurationException(NAME, deployment, "Provider " + NAME + " needs a credential: set "
                    + "apiKey (or " + ENV_PREFIX + "_API_KEY), or provider.tokenSupplier to the name of a "
                    + "Callable<String> bean that returns Microsoft Entra ID access tokens");
        }
        String field = settings.string("maxTokensField");
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(
                NAME,
                urls.chatCompletions(),
                urls.models(),
                token == null ? settings.apiKey() : null,
                token,
                "api-key",
                "",
                field != null ? field : "max_completion_tokens",
                settings.bool("streamUsage", true),
                ReasoningFormat.FIELDS,
                true,
                false);
        return new ChatCompletionsProvider(dialect, deployment, context.service(HttpTransport.class),
                Timeouts.of(settings), RequestDefaults.of(settings), SseChatStream.maxEventBytes(settings))
                .embeddingsAt(urls.embeddings()).embeddingBatch(OpenAiEmbeddings.batchSize(settings));
    }
}
