package dev.camelllm.provider.openai;

import dev.camelllm.chatcompletions.ChatCompletionsDialect;
import dev.camelllm.chatcompletions.ChatCompletionsErrors;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.ModelsProbe;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.RequestDefaults;

/**
 * A model behind OpenAI's Responses API ({@code POST /v1/responses}), stateless ({@code store=false}).
 * Errors have the Chat Completions shape and meaning, so {@link ChatCompletionsErrors} reads them; an answer
 * whose {@code status} is {@code failed} is an error too.
 */
final class ResponsesProvider implements ChatProvider {

    private final ChatCompletionsDialect dialect;
    private final String model;
    private final HttpTransport http;
    private final Timeouts timeouts;
    private final RequestDefaults defaults;
    private final ResponsesRequestWriter writer;
    private final ChatCompletionsErrors errors;
    private final JsonApi api;
    private final int maxEventBytes;
    private final URI models;

    /** @param dialect the name, auth and {@code …/responses} endpoint (its Chat Completions fields are unused) */
    ResponsesProvider(ChatCompletionsDialect dialect, URI models, String model, HttpTransport http, Timeouts timeouts,
                      RequestDefaults defaults, ResponsesRequestWriter writer, int maxEventBytes) {
        this.dialect = dialect;
        this.models = models;
        this.model = model;
        this.http = http;
        this.timeouts = timeouts;
        this.defaults = defaults;
        this.writer = writer;
        this.maxEventBytes = maxEventBytes;
        this.errors = new ChatCompletionsErrors(dialect.provider(), dialect.apiKey());
        this.api = new JsonApi(http, dialect.provider(), "Responses API", errors::fromHttp);
    }

    @Override
    public String name() {
        return dialect.provider();
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
        byte[] body = Json.writeBytes(writer.write(request, m, false));
        long start = System.nanoTime();
        JsonNode root = api.post(dialect.endpoint(), headers("application/json"), body, timeouts, call, m);
        if ("failed".equals(Json.text(root, "status")) || root.path("error").isObject()) {
            JsonNode error = root.path("error");
            throw errors.fromStream(ResponsesStream.errorRoot(error, "a failed response"), m);
        }
        return api.read(m, () -> ResponsesResponseReader.read(root, dialect.provider(), m,
                (System.nanoTime() - start) / 1_000_000));
    }

    @Override
    public ChatStream stream(ChatRequest asked, CallContext call) {
        ChatRequest request = defaults.apply(asked);
        String m = modelOf(request);
        String body = Json.write(writer.write(request, m, true));
        OpenResponse response = api.open(dialect.endpoint(), headers("text/event-stream"), body, timeouts, call, m);
        try {
            return new ResponsesStream(dialect.provider(), dialect.apiKey(), errors, m, response, maxEventBytes);
        } catch (RuntimeException e) {
            response.abort();
            throw e;
        }
    }

    /** The Responses API's input_tokens include the cached ones. */
    @Override
    public boolean usageCountsCacheReadsInInput() {
        return true;
    }

    @Override
    public ProviderHealth probe(Duration timeout) {
        Map<String, String> h = headers("application/json");
        h.remove("Accept");
        return ModelsProbe.probe(http, models, h, timeout, dialect.apiKey(), dialect.provider(), model);
    }

    private String modelOf(ChatRequest request) {
        return request.model() != null && !request.model().isBlank() ? request.model() : model;
    }

    private Map<String, String> headers(String accept) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", accept);
        String auth = dialect.authValue();
        if (auth != null) {
            h.put(dialect.authHeader(), auth);
        }
        return h;
    }

}
