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
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.spi.RequestDefaults;

/**
 * {@code provider=openai-compatible}: any server that speaks OpenAI's Chat Completions (Groq, Together,
 * vLLM, Ollama, DeepSeek, llama.cpp…). The defaults suit the most servers: {@code max_tokens},
 * {@code stream_options.include_usage} (so that streams report their usage; {@code streamUsage=false} for a
 * server that rejects it), a key only when one is given (no environment default, so an OpenAI key never
 * leaks to another host), and reasoning read from wherever the server puts it. Lives beside the openai
 * factory because both speak the same format through {@link ChatCompletionsProvider}.
 */
public class OpenAiCompatibleProviderFactory implements ChatProviderFactory {

    public static final String NAME = "openai-compatible";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings settings, ProviderContext context) {
        String baseUrl = settings.baseUrl();
        if (baseUrl == null) {
            throw new LlmConfigurationException(NAME, settings.model(), "Option 'baseUrl' is required for provider "
                    + "openai-compatible: the server's API root, e.g. http://localhost:8000/v1");
        }
        String model = settings.model();
        if (model == null) {
            throw new LlmConfigurationException(NAME, null,
                    "Option 'model' is required for provider openai-compatible: the model name the server serves");
        }
        String field = settings.string("maxTokensField");
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(
                NAME,
                ChatCompletionsDialect.chatCompletions(baseUrl),
                settings.apiKey(),
                settings.string("authHeader"),
                OpenAiProviderFactory.authScheme(settings),
                field != null ? field : "max_tokens",
                settings.bool("streamUsage", true),
                ReasoningFormat.of(settings.string("reasoningFormat")),
                false,
                true);
        return new ChatCompletionsProvider(dialect, model, context.service(HttpTransport.class), Timeouts.of(settings),
                RequestDefaults.NONE, SseChatStream.maxEventBytes(settings)).embeddingBatch(OpenAiEmbeddings.batchSize(settings));
    }
}
