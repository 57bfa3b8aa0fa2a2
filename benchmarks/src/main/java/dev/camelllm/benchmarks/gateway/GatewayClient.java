package dev.camelllm.benchmarks.gateway;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.gateway.GatewayHeaders;
import dev.camelllm.spi.Json;

/**
 * The client of every path measured: one java.net.http client speaking HTTP/1.1, which sends a request,
 * reads the whole answer and checks it, so that a miswired path fails instead of being fast.
 */
final class GatewayClient {

    /** Times of one stream, in nanoseconds from sending; {@code selfReported} is -1 without the gateway. */
    record StreamTimes(long firstByte, long firstToken, long whole, long selfReported) { }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** One JSON request and answer; returns the gateway's self-reported time in nanoseconds, or -1 for bare. */
    long chat(Target target) throws Exception {
        HttpResponse<byte[]> response = http.send(request(target, false), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw failed(target, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode answer = Json.MAPPER.readTree(response.body());
        JsonNode text = target.anthropic() ? answer.path("content").path(0).path("text")
                : answer.path("choices").path(0).path("message").path("content");
        if (!text.asText().startsWith("Hello")) {
            throw new IllegalStateException(target.label() + " answered " + answer);
        }
        return selfReported(target, response.headers());
    }

    /**
     * One stream read to its end: when its first byte came (the first event's), when the first content
     * token did, and when the stream ended. Checks that every token and the API's last event arrived.
     */
    StreamTimes stream(Target target, int tokens) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request(target, true), HttpResponse.BodyHandlers.ofInputStream());
        try (PushbackInputStream in = new PushbackInputStream(response.body())) {
            if (response.statusCode() != 200) {
                throw failed(target, response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            int first = in.read();
            long firstByte = System.nanoTime() - start;
            if (first < 0) {
                throw new IllegalStateException(target.label() + " sent an empty stream");
            }
            in.unread(first);
            // the fake's tokens are "tok0 ", "tok1 ", …: both APIs carry them verbatim in a JSON string
            String firstToken = "tok0 ";
            String lastToken = "tok" + (tokens - 1) + " ";
            long firstTokenAt = -1;
            boolean lastTokenSeen = false;
            boolean ended = false;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (firstTokenAt < 0 && line.contains(firstToken)) {
                    firstTokenAt = System.nanoTime() - start;
                }
                lastTokenSeen |= line.contains(lastToken);
                ended |= line.equals(target.lastEventLine());
            }
            long whole = System.nanoTime() - start;
            if (firstTokenAt < 0 || !lastTokenSeen || !ended) {
                throw new IllegalStateException(target.label() + " stream incomplete: first token " + (firstTokenAt >= 0)
                        + ", last token " + lastTokenSeen + ", last event " + ended);
            }
            return new StreamTimes(firstByte, firstTokenAt, whole, selfReported(target, response.headers()));
        }
    }

    private static HttpRequest request(Target target, boolean stream) {
        return HttpRequest.newBuilder(target.uri())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .headers(target.headers())
                .POST(HttpRequest.BodyPublishers.ofString(target.body(stream)))
                .build();
    }

    /** The gateway's {@code x-llm-gateway-overhead-ms}, in nanoseconds; -1 where no gateway answered. */
    private static long selfReported(Target target, HttpHeaders headers) {
        if (!target.viaGateway()) {
            return -1;
        }
        String ms = headers.firstValue(GatewayHeaders.OVERHEAD).orElseThrow(() -> new IllegalStateException(
                target.label() + " answered without " + GatewayHeaders.OVERHEAD));
        return Math.round(Double.parseDouble(ms) * 1e6);
    }

    private static IllegalStateException failed(Target target, int status, String body) {
        return new IllegalStateException(target.label() + " answered " + status + ": "
                + body.substring(0, Math.min(300, body.length())));
    }
}
