package dev.camelllm.gateway;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Which browser origins may call the gateway. Off (no CORS header at all, so browsers refuse cross-origin
 * calls) unless the operator lists origins.
 */
final class CorsPolicy {

    /** Headers a browser page may read from our answers. */
    static final String EXPOSED = "x-request-id, request-id, " + GatewayHeaders.OVERHEAD + ", " + GatewayHeaders.PROVIDER
            + ", " + GatewayHeaders.MODEL + ", " + GatewayHeaders.CACHE + ", "
            + GatewayHeaders.CACHE_SIMILARITY + ", retry-after";

    private final List<String> origins;

    CorsPolicy(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    boolean allows(String origin) {
        return origin != null && !origins.isEmpty() && (origins.contains("*") || origins.contains(origin));
    }

    /** Adds the CORS headers to an answer to an allowed origin. */
    void decorate(HttpServerRequest request, HttpServerResponse response) {
        String origin = request.getHeader("Origin");
        if (allows(origin)) {
            response.putHeader("Access-Control-Allow-Origin", origin);
            response.putHeader("Vary", "Origin");
            response.putHeader("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /** Answers a preflight: 204 with what the browser may send, or 403 for an origin not allowed. */
    void preflight(HttpServerRequest request, HttpServerResponse response) {
        String origin = request.getHeader("Origin");
        if (!allows(origin)) {
            response.setStatusCode(403).end();
            return;
        }
        String asked = request.getHeader("Access-Control-Request-Headers");
        response.setStatusCode(204)
                .putHeader("Access-Control-Allow-Origin", origin)
                .putHeader("Vary", "Origin")
                .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                // the SDKs send their own headers (x-stainless-*, anthropic-*): allow what the browser asks for
                .putHeader("Access-Control-Allow-Headers",
                        asked != null ? asked : "authorization, content-type, x-api-key, anthropic-version, x-request-id")
                .putHeader("Access-Control-Max-Age", "600")
                .end();
    }
}
