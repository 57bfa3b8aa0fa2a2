package dev.camelllm.provider.openaicompatible;


import dev.camelllm.http.Timeouts;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.provider.openai.ChatCompletionsDialect;
import dev.camelllm.provider.openai.ChatCompletionsProvider;
import dev.camelllm.provider.openai.ReasoningFormat;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;

/**
 * {@code provider=openai-compatible}: any server that speaks OpenAI's Chat Completions (Groq, Together,
 * vLLM, Ollama, DeepSeek, llama.cpp…). The defaults suit the most servers: {@code max_tokens}, no
 * {@code stream_options}, a key only when one is given (no environment default, so an OpenAI key never
 * leaks to another host), and reasoning read from wherever the server puts it.
 */
public class OpenAiCompatibleProviderFactory implements ChatProviderFactory {

    public static final String NAME = "openai-compatible";

    @Override
    public ChatProvider create(LlmConfiguration config, ProviderContext context) {
        String baseUrl = config.getBaseUrl();
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new LlmConfigurationException(NAME, config.getModel(), "Option 'baseUrl' is required for provider "
                    + "openai-compatible: the server's API root, e.g. http://localhost:8000/v1");
        }
        String model = config.getModel();
        if (model == null || model.isBlank()) {
            throw new LlmConfigurationException(NAME, null,
                    "Option 'model' is required for provider openai-compatible: the model name the server serves");
        }
        ChatCompletionsDialect dialect = new ChatCompletionsDialect(
                NAME,
                ChatCompletionsDialect.chatCompletions(baseUrl),
                config.getApiKey(),
                config.getAuthHeader(),
                config.getAuthScheme(),
                config.getMaxTokensField() != null ? config.getMaxTokensField() : "max_tokens",
                config.getStreamUsage() != null && config.getStreamUsage(),
                ReasoningFormat.of(config.getReasoningFormat()),
                false,
                true);
        return new ChatCompletionsProvider(dialect, model.trim(), context.http(), Timeouts.of(config));
    }
}
