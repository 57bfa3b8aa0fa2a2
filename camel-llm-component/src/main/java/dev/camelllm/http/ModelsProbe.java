package dev.camelllm.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.LlmException;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.Redactor;

/**
 * A cheap probe of a cloud upstream for a provider's {@code probe()}: GET its models list with the
 * provider's auth headers. Reachable and the key accepted: UP; 401/403, 5xx or no connection: DOWN with
 * the reason. The details name the URL and status, never the key.
 */
public final class ModelsProbe {

    private ModelsProbe() {
    }

    public static ProviderHealth probe(HttpTransport http, URI uri, Map<String, String> headers, Duration timeout,
                                       String secret, String provider, String model) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", printable(uri));
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Accept", "application/json");
        HttpResult response;
        try {
            response = http.get(uri, h, timeout, provider, model);
        } catch (LlmException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return ProviderHealth.down("unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + Redactor.redact(cause.getMessage(), secret)), details);
        }
        int status = response.status();
        details.put("http.status", status);
        if (status == 401 || status == 403) {
            return ProviderHealth.down("the provider rejected the key (HTTP " + status + ")"
                    + upstreamMessage(response.bodyText(), secret), details);
        }
        if (status >= 500) {
            return ProviderHealth.down("the provider answered HTTP " + status + upstreamMessage(response.bodyText(), secret),
                    details);
        }
        if (status >= 200 && status < 300) {
            return ProviderHealth.up("reachable, key accepted", details);
        }
        // 404 (no models list on this server), 429 (rate limited): reachable, and the key was not refused
        return ProviderHealth.up("reachable (HTTP " + status + " on the models list)", details);
    }

    /** scheme://host:port/path, without user info or query (either could hold a secret). */
    static String printable(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
    }

    private static String upstreamMessage(String body, String secret) {
        String message = null;
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            message = error.isTextual() ? error.asText() : error.path("message").asText(null);
        } catch (Exception e) {
            // not JSON: say nothing more than the status
        }
        if (message == null || message.isBlank()) {
            return "";
        }
        String clean = Redactor.redact(message, secret);
        return ": " + (clean.length() > 200 ? clean.substring(0, 200) + "…" : clean);
    }
}
