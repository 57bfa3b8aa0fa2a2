package dev.camelllm.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain POST to {@code /v1/embeddings} for the cases the SDK cannot send (token ids, a wrong format). */
final class GatewayTestSupportHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayTestSupportHttp() {
    }

    static HttpResponse<String> post(String gateway, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/embeddings")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
