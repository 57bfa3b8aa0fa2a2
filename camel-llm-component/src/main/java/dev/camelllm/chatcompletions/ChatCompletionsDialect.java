package dev.camelllm.chatcompletions;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

import dev.camelllm.api.LlmConfigurationException;

/**
 * What differs between the servers that speak Chat Completions (OpenAI, Azure OpenAI, compatible servers).
 *
 * @param provider          the provider name in errors and headers ({@code openai}, {@code openai-compatible})
 * @param endpoint          the full {@code …/chat/completions} URI, query included (Azure's {@code api-version})
 * @param models            the models list the health probe GETs
 * @param apiKey            the key, or null to send no auth header (a proxy that holds the key)
 * @param token             a bearer token fetched for each request (Microsoft Entra ID), or null; wins over the key
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
        URI models,
        String apiKey,
        Supplier<String> token,
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
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(maxTokensField, "maxTokensField");
        Objects.requireNonNull(reasoningFormat, "reasoningFormat");
        authHeader = authHeader == null || authHeader.isBlank() ? "Authorization" : authHeader.trim();
        authScheme = authScheme == null ? "" : authScheme.trim();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** A dialect with a static key (or none), whose models list is beside {@code /chat/completions}. */
    public ChatCompletionsDialect(String provider, URI endpoint, String apiKey, String authHeader, String authScheme,
                                  String maxTokensField, boolean streamUsage, ReasoningFormat reasoningFormat,
                                  boolean reasoningEffort, boolean sendTopK) {
        this(provider, endpoint, modelsBeside(endpoint), apiKey, null, authHeader, authScheme, maxTokensField,
                streamUsage, reasoningFormat, reasoningEffort, sendTopK);
    }

    private static URI modelsBeside(URI chatCompletions) {
        String path = chatCompletions.toString();
        return URI.create(path.substring(0, path.length() - "/chat/completions".length()) + "/models");
    }

    /** {@code baseUrl} + {@code /chat/completions}, whether or not the base URL ends in a slash. */
    public static URI chatCompletions(String baseUrl) {
        String base = baseUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/chat/completions");
    }

    /** The header that carries the credential: Authorization for a bearer token, else {@link #authHeader}. */
    String authHeaderName() {
        return token != null ? "Authorization" : authHeader;
    }

    /** The value of the auth header, or null when no key is configured. */
    public String authValue() {
        if (token != null) {
            String t = token.get();
            if (t == null || t.isBlank()) {
                throw new LlmConfigurationException(provider, null,
                        "the bearer token supplier returned no token");
            }
            return "Bearer " + t.trim();
        }
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
