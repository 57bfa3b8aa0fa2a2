package dev.camelllm.spi;

import dev.camelllm.api.ChatRequest;

/**
 * Output limit and temperature a provider applies to a request that sets neither, e.g. from the seeds'
 * {@code <PREFIX>_MAX_TOKENS} / {@code _TEMPERATURE} variables ({@link EnvironmentDefaults}). What the
 * request or the endpoint sets always wins.
 */
public record RequestDefaults(Integer maxTokens, Double temperature) {

    public static final RequestDefaults NONE = new RequestDefaults(null, null);

    public static RequestDefaults of(ProviderSettings settings) {
        return new RequestDefaults(settings.maxTokens(), settings.temperature());
    }

    public ChatRequest apply(ChatRequest request) {
        boolean max = request.maxTokens() == null && maxTokens != null;
        boolean temp = request.temperature() == null && temperature != null;
        if (!max && !temp) {
            return request;
        }
        ChatRequest.Builder b = request.toBuilder();
        if (max) {
            b.maxTokens(maxTokens);
        }
        if (temp) {
            b.temperature(temperature);
        }
        return b.build();
    }
}
