package dev.camelllm.provider.azureopenai;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.camelllm.api.LlmConfigurationException;

/**
 * Azure OpenAI's URLs. The v1 API: {@code {endpoint}/openai/v1/chat/completions}, the deployment named in
 * the body's {@code model}. A dated API version: {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…}.
 * Embeddings beside them: {@code /openai/v1/embeddings}, or {@code /openai/deployments/{deployment}/embeddings?api-version=…}.
 */
record AzureEndpoints(URI chatCompletions, URI models, URI embeddings) {

    static final String V1 = "v1";

    /**
     * @param endpoint   the resource endpoint; a trailing {@code /openai} or {@code /openai/v1} is accepted
     * @param deployment the deployment name
     * @param apiVersion {@code v1} or null for the v1 API, else a dated version such as {@code 2024-10-21}
     */
    static AzureEndpoints of(String endpoint, String deployment, String apiVersion) {
        String base = endpoint.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/openai/v1")) {
            base = base.substring(0, base.length() - "/openai/v1".length());
        } else if (lower.endsWith("/openai")) {
            base = base.substring(0, base.length() - "/openai".length());
        }
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw new LlmConfigurationException(AzureOpenAiProviderFactory.NAME, deployment,
                    "baseUrl must be an http(s) URL such as https://my-resource.openai.azure.com, was '" + endpoint + "'");
        }
        String version = apiVersion == null || apiVersion.isBlank() ? V1 : apiVersion.trim();
        if (version.equalsIgnoreCase(V1)) {
            return new AzureEndpoints(uri(base + "/openai/v1/chat/completions", deployment),
                    uri(base + "/openai/v1/models", deployment), uri(base + "/openai/v1/embeddings", deployment));
        }
        if (!version.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
            throw new LlmConfigurationException(AzureOpenAiProviderFactory.NAME, deployment, "provider.apiVersion must be "
                    + "v1 or a dated version such as 2024-10-21 or 2025-04-01-preview, was '" + version + "'");
        }
        String q = "?api-version=" + version;
        String deploymentUrl = base + "/openai/deployments/"
                + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20");
        return new AzureEndpoints(uri(deploymentUrl + "/chat/completions" + q, deployment),
                uri(base + "/openai/models" + q, deployment), uri(deploymentUrl + "/embeddings" + q, deployment));
    }

    private static URI uri(String s, String deployment) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException(AzureOpenAiProviderFactory.NAME, deployment,
                    "baseUrl does not make a valid URL: " + e.getMessage());
        }
    }
}
