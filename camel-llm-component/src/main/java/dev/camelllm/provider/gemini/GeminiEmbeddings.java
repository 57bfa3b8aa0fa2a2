package dev.camelllm.provider.gemini;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.Usage;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderSettings;

/**
 * {@code POST {base}/models/{model}:batchEmbedContents}: one request per input ({@code content.parts[0].text},
 * {@code outputDimensionality} for shorter vectors, the endpoint's {@code taskType}), answered by
 * {@code embeddings[].values} in the inputs' order. The Gemini API takes at most 100 requests a batch. It
 * reports no token usage, so the usage is empty. An answer with the wrong number of vectors, an empty or
 * non-numeric one, or vectors of different lengths is a PROVIDER error rather than a silent gap.
 */
final class GeminiEmbeddings {

    /** The Gemini API's limit of requests in one batchEmbedContents call. */
    static final int MAX_INPUTS = 100;

    static final Set<String> TASK_TYPES = Set.of("RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY",
            "CLASSIFICATION", "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY");

    private final Timeouts timeouts;
    private final JsonApi api;
    private final String taskType;

    GeminiEmbeddings(HttpTransport http, Timeouts timeouts, GeminiErrors errors, String taskType) {
        this.timeouts = timeouts;
        this.api = new JsonApi(http, GeminiProviderFactory.NAME, "batchEmbedContents", errors::fromHttp);
        this.taskType = taskType;
    }

    EmbeddingResponse embed(EmbeddingRequest request, String model, URI uri, Map<String, String> headers, CallContext call) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String text : request.inputs()) {
            ObjectNode r = requests.addObject();
            r.put("model", "models/" + model);
            r.putObject("content").putArray("parts").addObject().put("text", text);
            if (taskType != null) {
                r.put("taskType", taskType);
            }
            if (request.dimensions() != null) {
                r.put("outputDimensionality", request.dimensions());
            }
        }
        long start = System.nanoTime();
        JsonNode root = api.post(uri, headers, Json.writeBytes(body), timeouts, call, model);
        List<float[]> vectors = vectors(root.path("embeddings"), request.inputs().size(), model);
        return new EmbeddingResponse(vectors, vectors.get(0).length, GeminiProviderFactory.NAME, model, Usage.EMPTY,
                (System.nanoTime() - start) / 1_000_000);
    }

    private List<float[]> vectors(JsonNode embeddings, int expected, String model) {
        if (!embeddings.isArray() || embeddings.size() != expected) {
            throw unreadable(model, "expected " + expected + " embeddings, got "
                    + (embeddings.isArray() ? embeddings.size() : "no embeddings array"));
        }
        List<float[]> out = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            JsonNode values = embeddings.get(i).path("values");
            if (!values.isArray() || values.isEmpty()) {
                throw unreadable(model, "embedding " + i + " has no values array");
            }
            float[] v = new float[values.size()];
            for (int d = 0; d < v.length; d++) {
                JsonNode n = values.get(d);
                if (!n.isNumber() || !Float.isFinite(n.floatValue())) {
                    throw unreadable(model, "embedding " + i + " has a value that is not a finite number at " + d);
                }
                v[d] = n.floatValue();
            }
            if (!out.isEmpty() && out.get(0).length != v.length) {
                throw unreadable(model, "embeddings have different lengths (" + out.get(0).length + " and " + v.length + ")");
            }
            out.add(v);
        }
        return out;
    }

    private LlmApiException unreadable(String model, String why) {
        return api.unreadable(model, why);
    }

    /** provider.taskType: one of Gemini's task types (any case), or null when unset. */
    static String taskType(ProviderSettings settings) {
        String v = settings.extra("taskType");
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.trim().toUpperCase(Locale.ROOT);
        if (!TASK_TYPES.contains(t)) {
            throw new LlmConfigurationException(GeminiProviderFactory.NAME, settings.model(), "option 'provider.taskType' "
                    + "must be one of " + new java.util.TreeSet<>(TASK_TYPES) + ", was '" + v + "'");
        }
        return t;
    }

    /** provider.batchSize: the most inputs one request carries, 1 to 100 (default 100). */
    static int batchSize(ProviderSettings settings) {
        String v = settings.extra("batchSize");
        if (v == null || v.isBlank()) {
            return MAX_INPUTS;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_INPUTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LlmConfigurationException(GeminiProviderFactory.NAME, settings.model(), "option 'provider.batchSize' "
                + "(inputs per batchEmbedContents request) must be 1 to " + MAX_INPUTS + ", was '" + v + "'");
    }
}
