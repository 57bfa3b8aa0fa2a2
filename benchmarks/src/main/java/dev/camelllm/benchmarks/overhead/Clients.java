package dev.camelllm.benchmarks.overhead;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** The bare clients: the least work that sends the same request and reads the answer. */
final class Clients implements AutoCloseable {

    static final String PROMPT = "Say hello";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final CloseableHttpClient hc5;
    private final HttpClient jdk;

    Clients(String base) {
        this.base = base;
        hc5 = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(4096).setMaxConnPerRoute(4096).build())
                .disableAutomaticRetries()
                .build();
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static String openAiBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    private HttpPost post(String model, boolean stream) {
        HttpPost post = new HttpPost(base + "/v1/chat/completions");
        post.setHeader("Authorization", "Bearer k");
        post.setEntity(new StringEntity(openAiBody(model, stream), ContentType.APPLICATION_JSON));
        return post;
    }

    /** Apache HttpClient 5 classic, pooled: the library our transport uses. */
    String hc5Chat() throws Exception {
        return hc5.execute(post("m", false), response -> {
            JsonNode node = MAPPER.readTree(response.getEntity().getContent());
            return node.path("choices").path(0).path("message").path("content").asText();
        });
    }

    /** java.net.http, HTTP/1.1. */
    String jdkChat() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(openAiBody("m", false))).build();
        HttpResponse<byte[]> response = jdk.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return MAPPER.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
    }

    /**
     * A bare SSE read with HttpClient 5: the time from sending to the first content delta parsed, in
     * nanoseconds; then the rest of the stream is read to [DONE].
     */
    long hc5StreamFirstToken() throws Exception {
        long start = System.nanoTime();
        return hc5.execute(post("m", true), response -> {
            long first = -1;
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode delta = MAPPER.readTree(data).path("choices").path(0).path("delta").path("content");
                if (first < 0 && delta.isTextual()) {
                    first = System.nanoTime() - start;
                }
            }
            return first;
        });
    }

    /** An open stream whose first content chunk has been read; the rest is left unread. */
    record Held(CloseableHttpResponse response, BufferedReader reader) { }

    @SuppressWarnings("deprecation") // execute without a handler: the response must outlive the call
    Held hc5OpenHeld() throws Exception {
        CloseableHttpResponse response = hc5.execute(post("hold", true));
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null && !line.startsWith("data: ")) {
            // skip to the first chunk
        }
        if (line == null) {
            throw new IllegalStateException("stream ended before its first chunk");
        }
        return new Held(response, reader);
    }

    static void drain(Held held) throws Exception {
        try (CloseableHttpResponse response = held.response()) {
            while (held.reader().readLine() != null) {
                // to the end, so the connection goes back to the pool
            }
        }
    }

    @Override
    public void close() throws Exception {
        hc5.close();
    }
}
