package dev.camelllm.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.provider.anthropic.AnthropicProviderFactory;
import dev.camelllm.provider.openai.OpenAiProviderFactory;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.Redactor;

/**
 * A cheap probe of a cloud upstream: GET the models list with the endpoint's key ({baseUrl}/models for
 * the OpenAI format, /v1/models for Anthropic). Reachable and the key accepted: UP; 401/403, 5xx or no
 * connection: DOWN with the reason. The details name the URL and status, never the key.
 */
final class CloudProbe {

    private final HttpClient client;
    private final Duration timeout;

    CloudProbe(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** True for the providers this probe knows how to reach. */
    static boolean probes(String provider) {
        return "openai".equals(provider) || "openai-compatible".equals(provider) || "anthropic".equals(provider);
    }

    ProviderHealth probe(String provider, LlmConfiguration c) {
        Map<String, Object> details = new LinkedHashMap<>();
        URI uri;
        HttpRequest.Builder request;
        String key = c.getApiKey() == null || c.getApiKey().isBlank() ? null : c.getApiKey().trim();
        try {
            if ("anthropic".equals(provider)) {
                uri = URI.create(withV1(base(c, AnthropicProviderFactory.DEFAULT_BASE_URL)) + "/models");
                request = HttpRequest.newBuilder(uri).header("anthropic-version", c.getAnthropicVersion());
                if (key != null) {
                    request.header("x-api-key", key);
                }
            } else {
                String base = base(c, "openai".equals(provider) ? OpenAiProviderFactory.DEFAULT_BASE_URL : null);
                if (base == null) {
                    return ProviderHealth.down("no baseUrl configured", details);
                }
                uri = URI.create(base + "/models");
                request = HttpRequest.newBuilder(uri);
                if (key != null) {
                    String scheme = c.getAuthScheme() == null ? "" : c.getAuthScheme().trim();
                    String header = c.getAuthHeader() == null || c.getAuthHeader().isBlank() ? "Authorization" : c.getAuthHeader().trim();
                    request.header(header, scheme.isEmpty() ? key : scheme + " " + key);
                }
            }
        } catch (IllegalArgumentException e) {
            return ProviderHealth.down("invalid baseUrl", details);
        }
        details.put("url", printable(uri));
        HttpResponse<String> response;
        try {
            response = client.send(request.GET().timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return ProviderHealth.down("unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + Redactor.redact(e.getMessage(), key)), details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderHealth.down("interrupted", details);
        }
        int status = response.statusCode();
        details.put("http.status", status);
        if (status == 401 || status == 403) {
            return ProviderHealth.down("the provider rejected the key (HTTP " + status + ")" + upstreamMessage(response, key),
                    details);
        }
        if (status >= 500) {
            return ProviderHealth.down("the provider answered HTTP " + status + upstreamMessage(response, key), details);
        }
        if (status >= 200 && status < 300) {
            return ProviderHealth.up("reachable, key accepted", details);
        }
        // 404 (no models list on this server), 429 (rate limited): reachable, and the key was not refused
        return ProviderHealth.up("reachable (HTTP " + status + " on the models list)", details);
    }

    private static String base(LlmConfiguration c, String fallback) {
        String base = c.getBaseUrl() == null || c.getBaseUrl().isBlank() ? fallback : c.getBaseUrl().trim();
        if (base == null) {
            return null;
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    private static String withV1(String base) {
        return base.endsWith("/v1") ? base : base + "/v1";
    }

    /** scheme://host:port/path, without user info or query (either could hold a secret). */
    private static String printable(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
    }

    private static String upstreamMessage(HttpResponse<String> response, String key) {
        String message = null;
        try {
            JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
            message = error.isTextual() ? error.asText() : error.path("message").asText(null);
        } catch (IOException | RuntimeException e) {
            // not JSON: say nothing more than the status
        }
        if (message == null || message.isBlank()) {
            return "";
        }
        String clean = Redactor.redact(message, key);
        return ": " + (clean.length() > 200 ? clean.substring(0, 200) + "…" : clean);
    }
}
