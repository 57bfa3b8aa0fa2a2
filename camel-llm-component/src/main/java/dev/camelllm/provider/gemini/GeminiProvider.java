package dev.camelllm.provider.gemini;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.ModelsProbe;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.RequestDefaults;

/**
 * Gemini's native API, {@code POST {base}/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}: the Gemini API with {@code x-goog-api-key}, or Vertex AI (a
 * base URL of {@code …/projects/P/locations/L/publishers/google}) with a bearer token. Embeds with
 * {@code :batchEmbedContents} ({@link GeminiEmbeddings}).
 */
final class GeminiProvider implements ChatProvider, EmbeddingProvider {

    private final String base;
    private final String apiKey;
    private final Supplier<String> token;
    private final String model;
    private final HttpTransport http;
    private final Timeouts timeouts;
    private final RequestDefaults defaults;
    private final int maxEventBytes;
    private final GeminiRequestWriter writer;
    private final GeminiErrors errors;
    private final JsonApi api;
    private final GeminiEmbeddings embeddings;
    private final int embeddingBatch;

    GeminiProvider(String base, String apiKey, Supplier<String> token, String model, HttpTransport http,
                   Timeouts timeouts, RequestDefaults defaults, int maxEventBytes, GeminiOptions options,
                   String taskType, int embeddingBatch) {
        this.base = base;
        this.apiKey = apiKey;
        this.token = token;
        this.model = model;
        this.http = http;
        this.timeouts = timeouts;
        this.defaults = defaults;
        this.maxEventBytes = maxEventBytes;
        this.writer = new GeminiRequestWriter(options);
        this.errors = new GeminiErrors(GeminiProviderFactory.NAME, apiKey);
        this.api = new JsonApi(http, GeminiProviderFactory.NAME, "Gemini", errors::fromHttp);
        this.embeddings = new GeminiEmbeddings(http, timeouts, errors, taskType);
        this.embeddingBatch = embeddingBatch;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext call) {
        String m = modelOf(request.model());
        if (base.contains("/publishers/")) {
            // Vertex AI embeds through :predict with another body; batchEmbedContents is the Gemini API's
            throw new dev.camelllm.api.LlmInvalidRequestException(name(), m, "embeddings on Vertex AI are not supported "
                    + "(Vertex embeds through :predict): use the Gemini API's baseUrl for operation=embed");
        }
        return embeddings.embed(request, m, uri(m, "batchEmbedContents"), headers(m), call);
    }

    @Override
    public int maxBatchSize() {
        return embeddingBatch;
    }

    /** gemini-embedding-001 and text-embedding-004 shorten their vectors (outputDimensionality). */
    @Override
    public boolean supportsDimensions() {
        return true;
    }

    @Override
    public String name() {
        return GeminiProviderFactory.NAME;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Duration timeout() {
        return timeouts.request();
    }

    @Override
    public ChatResponse chat(ChatRequest asked, CallContext call) {
        ChatRequest request = defaults.apply(asked);
        String m = modelOf(request);
        byte[] body = Json.writeBytes(writer.write(request, m));
        long start = System.nanoTime();
        JsonNode root = api.post(uri(m, "generateContent"), headers(m), body, timeouts, call, m);
        return api.read(m, () -> {
            ResponseAssembler answer = new ResponseAssembler();
            GeminiChunks chunks = new GeminiChunks();
            chunks.accept(root, answer::accept);
            if (!chunks.finished()) {
                throw api.unreadable(m, "no candidate with a finishReason");
            }
            chunks.end(answer::accept);
            String answered = Json.text(root, "modelVersion");
            return answer.build(name(), answered != null ? answered : m, -1, (System.nanoTime() - start) / 1_000_000);
        });
    }

    @Override
    public ChatStream stream(ChatRequest asked, CallContext call) {
        ChatRequest request = defaults.apply(asked);
        String m = modelOf(request);
        String body = Json.write(writer.write(request, m));
        Map<String, String> h = headers(m);
        h.put("Accept", "text/event-stream");
        OpenResponse response = api.open(uri(m, "streamGenerateContent?alt=sse"), h, body, timeouts, call, m);
        try {
            return new GeminiStream(name(), m, response, apiKey, maxEventBytes, errors);
        } catch (RuntimeException e) {
            response.abort();
            throw e;
        }
    }

    /** promptTokenCount includes cachedContentTokenCount. */
    @Override
    public boolean usageCountsCacheReadsInInput() {
        return true;
    }

    /** GET {base}/models: reachable and the credential accepted. */
    @Override
    public ProviderHealth probe(Duration timeout) {
        Map<String, String> h;
        try {
            h = headers(model);
        } catch (RuntimeException e) {
            return ProviderHealth.down("no credential: " + e.getMessage(), Map.of("provider", name()));
        }
        return ModelsProbe.probe(http, URI.create(base + "/models?pageSize=1"), h, timeout, apiKey, name(), model);
    }

    private URI uri(String m, String method) {
        return URI.create(base + "/models/" + URLEncoder.encode(m, StandardCharsets.UTF_8).replace("+", "%20") + ":" + method);
    }

    private Map<String, String> headers(String m) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json");
        if (token != null) {
            String t = token.get();
            if (t == null || t.isBlank()) {
                throw LlmApiException.of(ErrorKind.AUTHENTICATION, name(), m, 0, "token_supplier", null,
                        "the bearer token supplier returned no token");
            }
            h.put("Authorization", "Bearer " + t.trim());
        } else if (apiKey != null) {
            h.put("x-goog-api-key", apiKey);
        }
        return h;
    }

    private String modelOf(ChatRequest request) {
        return modelOf(request.model());
    }

    private String modelOf(String asked) {
        String m = asked != null && !asked.isBlank() ? asked : model;
        // "models/gemini-2.5-flash" as the models list names it
        return m.startsWith("models/") ? m.substring("models/".length()) : m;
    }
}
