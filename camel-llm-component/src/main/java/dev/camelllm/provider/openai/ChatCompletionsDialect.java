package dev.camelllm.provider.openai;

import java.net.URI;
import java.util.Objects;

/**
 * What differs between OpenAI and an OpenAI-compatible server speaking the same Chat Completions format.
 *
 * @param provider          the provider name in errors and headers ({@code openai}, {@code openai-compatible})
 * @param endpoint          the full {@code …/chat/completions} URI
 * @param apiKey            the key, or null to send no auth header (a proxy that holds the key)
 * @param authHeader        the header that carries the key
 * @param authScheme        written before the key ({@code Bearer}); empty for the raw key
 * @param maxTokensField    {@code max_completion_tokens} or {@code max_tokens}
 * @param streamUsage       send {@code stream_options.include_usage} when streaming
 * @param reasoningFormat   where the reasoning of the answer is read from
 * @param reasoningEffort   map a thinking budget to {@code reasoning_effort} (OpenAI reasoning models)
 * @param sendTopK          send {@code top_k} (compatible servers; OpenAI rejects it)
 */
public record ChatCompletionsDialect(
        String provider,
        URI endpoint,
        String apiKey,
        String authHeader,
        String authScheme,
        String maxTokensField,
        boolean streamUsage,
        ReasoningFormat reasoningFormat,
        boolean reasoningEffort,
        boolean sendTopK) {

    public ChatCompletionsDialect {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(maxTokensField, "maxTokensField");
        Objects.requireNonNull(reasoningFormat, "reasoningFormat");
        authHeader = authHeader == null || authHeader.isBlank() ? "Authorization" : authHeader.trim();
        authScheme = authScheme == null ? "" : authScheme.trim();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** {@code baseUrl} + {@code /chat/completions}, whether or not the base URL ends in a slash. */
    public static URI chatCompletions(String baseUrl) {
        String base = baseUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/chat/completions");
    }

    /** The value of the auth header, or null when no key is configured. */
    String authValue() {
        if (apiKey == null) {
            return null;
        }
        return authScheme.isEmpty() ? apiKey : authScheme + " " + apiKey;
    }

    @Override
    public String toString() {
        // never print the key
        return "ChatCompletionsDialect[" + provider + " " + endpoint + ", key " + (apiKey == null ? "none" : "set") + "]";
    }
}
