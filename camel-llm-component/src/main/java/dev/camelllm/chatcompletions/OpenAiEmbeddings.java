package dev.camelllm.chatcompletions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.Usage;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.Json;

/**
 * {@code POST /v1/embeddings} of OpenAI or a compatible server (vLLM, Ollama, LM Studio, Together…): the
 * inputs as an array, {@code encoding_format=float}, {@code dimensions} when asked. The answer's vectors
 * are put back in the inputs' order by their {@code index}; an answer with a missing, duplicate or
 * non-numeric vector, or vectors of different lengths, is a PROVIDER error rather than a silent gap.
 * OpenAI takes at most 2048 inputs a request (and 300,000 tokens over them, 8,192 per input); the
 * component splits larger bodies into batches of {@code provider.batchSize} (default 2048).
 */
public final class OpenAiEmbeddings {

    /** OpenAI's limit of inputs per embeddings request. */
    static final int MAX_INPUTS = 2048;

    private final ChatCompletionsDialect dialect;
    private final String model;
    private final Timeouts timeouts;
    private final ChatCompletionsErrors errors;
    private final JsonApi api;
    private final URI endpoint;

    /** @param endpoint the full embeddings URI, query included (Azure's {@code api-version}) */
    OpenAiEmbeddings(ChatCompletionsDialect dialect, String model, HttpTransport http, Timeouts timeouts,
                     ChatCompletionsErrors errors, URI endpoint) {
        this.dialect = dialect;
        this.model = model;
        this.timeouts = timeouts;
        this.errors = errors;
        this.api = new JsonApi(http, dialect.provider(), "embeddings", errors::fromHttp);
        this.endpoint = endpoint;
    }

    /** {@code …/embeddings} beside {@code …/chat/completions}, the query (if any) kept. */
    static URI beside(URI chatCompletions) {
        String chat = chatCompletions.toString();
        int q = chat.indexOf('?');
        String path = q < 0 ? chat : chat.substring(0, q);
        String query = q < 0 ? "" : chat.substring(q);
        if (!path.endsWith("/chat/completions")) {
            throw new IllegalArgumentException("not a /chat/completions URI: " + path);
        }
        return URI.create(path.substring(0, path.length() - "/chat/completions".length()) + "/embeddings" + query);
    }

    URI endpoint() {
        return endpoint;
    }

    EmbeddingResponse embed(EmbeddingRequest request, CallContext call, Map<String, String> headers) {
        String m = request.model() != null && !request.model().isBlank() ? request.model() : model;
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", m);
        ArrayNode input = body.putArray("input");
        request.inputs().forEach(input::add);
        body.put("encoding_format", "float");
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        long start = System.nanoTime();
        JsonNode root = api.post(endpoint, headers, Json.writeBytes(body), timeouts, call, m);
        if (root.hasNonNull("error")) {
            throw errors.fromStream(root, m);
        }
        List<float[]> vectors = vectors(root.path("data"), request.inputs().size(), m);
        long tokens = root.path("usage").path("prompt_tokens").asLong(0);
        String answered = root.path("model").isTextual() ? root.path("model").asText() : m;
        return new EmbeddingResponse(vectors, vectors.get(0).length, dialect.provider(), answered, new Usage(tokens, 0),
                (System.nanoTime() - start) / 1_000_000);
    }

    private List<float[]> vectors(JsonNode data, int expected, String m) {
        if (!data.isArray() || data.size() != expected) {
            throw unreadable(m, "expected " + expected + " embeddings in data, got "
                    + (data.isArray() ? data.size() : "no data array"));
        }
        float[][] byIndex = new float[expected][];
        int dims = -1;
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").canConvertToInt() ? item.path("index").asInt() : i;
            if (index < 0 || index >= expected || byIndex[index] != null) {
                throw unreadable(m, "embedding index " + index + " is out of range or repeated");
            }
            JsonNode values = item.path("embedding");
            if (!values.isArray() || values.isEmpty()) {
                throw unreadable(m, "embedding " + index + " is not an array of numbers (base64 is not asked for)");
            }
            float[] v = new float[values.size()];
            for (int d = 0; d < v.length; d++) {
                JsonNode n = values.get(d);
                if (!n.isNumber() || !Float.isFinite(n.floatValue())) {
                    throw unreadable(m, "embedding " + index + " has a value that is not a finite number at " + d);
                }
                v[d] = n.floatValue();
            }
            if (dims >= 0 && v.length != dims) {
                throw unreadable(m, "embeddings have different lengths (" + dims + " and " + v.length + ")");
            }
            dims = v.length;
            byIndex[index] = v;
        }
        return new ArrayList<>(Arrays.asList(byIndex));
    }

    private LlmApiException unreadable(String m, String why) {
        return api.unreadable(m, why);
    }

    /** provider.batchSize: the most inputs one request carries, 1 to 2048 (default 2048). */
    public static int batchSize(dev.camelllm.spi.ProviderSettings settings) {
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
        throw new dev.camelllm.api.LlmConfigurationException(settings.provider(), settings.model(),
                "option 'provider.batchSize' (inputs per embeddings request) must be 1 to " + MAX_INPUTS + ", was '" + v + "'");
    }

    static Map<String, String> headers(ChatCompletionsDialect dialect) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json");
        String auth = dialect.authValue();
        if (auth != null) {
            // a bearer token (Entra ID) goes in Authorization, a key in the dialect's header (api-key on Azure)
            h.put(dialect.authHeaderName(), auth);
        }
        return h;
    }
}
