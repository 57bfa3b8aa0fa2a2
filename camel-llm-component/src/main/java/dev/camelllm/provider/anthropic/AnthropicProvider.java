package dev.camelllm.provider.anthropic;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.http.HttpResult;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.ModelsProbe;
import dev.camelllm.http.Timeouts;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.RequestDefaults;

/** Anthropic's Messages API ({@code POST /v1/messages}), blocking and streaming, over the shared HTTP client. */
final class AnthropicProvider implements ChatProvider {

    static final String NAME = "anthropic";
    /** The API requires max_tokens; this is sent when neither the request nor the options set one. */
    static final int DEFAULT_MAX_TOKENS = 1024;
    static final int MIN_THINKING_BUDGET = 1024;

    private final HttpTransport http;
    private final URI uri;
    private final String apiKey;
    private final String anthropicVersion;
    private final String model;
    private final Integer maxTokens;
    private final Integer thinkingBudget;
    private final Timeouts timeouts;
    private final Double temperature;
    /** The most bytes of one line or event of a stream. */
    private final int maxEventBytes;

    AnthropicProvider(HttpTransport http, URI uri, String apiKey, String anthropicVersion, String model,
                      Integer maxTokens, Integer thinkingBudget, Timeouts timeouts, Double temperature, int maxEventBytes) {
        this.temperature = temperature;
        this.maxEventBytes = maxEventBytes;
        this.http = http;
        this.uri = uri;
        this.apiKey = apiKey;
        this.anthropicVersion = anthropicVersion;
        this.model = model;
        this.maxTokens = maxTokens;
        this.thinkingBudget = thinkingBudget;
        this.timeouts = timeouts;
    }

    @Override
    public String name() {
        return NAME;
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
        ChatRequest request = withTemperature(asked);
        String m = modelOf(request);
        String body = body(request, m, false);
        long start = System.nanoTime();
        HttpResult result = http.postJson(uri, headers("application/json"), body, timeouts.request(),
                Timeouts.within(timeouts.request(), call), call, NAME, m);
        if (!result.ok()) {
            throw AnthropicErrors.fromHttp(result.status(), result.headers(), result.bodyText(), m, apiKey);
        }
        JsonNode root;
        try {
            root = Json.parse(result.body());
        } catch (IOException e) {
            throw LlmApiException.of(ErrorKind.PROVIDER, NAME, m, result.status(), "invalid_response", null,
                    "the response is not JSON: " + e.getMessage());
        }
        ChatResponse response = AnthropicResponseReader.read(root, m);
        return response.withTimings(-1, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public ChatStream stream(ChatRequest asked, CallContext call) {
        ChatRequest request = withTemperature(asked);
        String m = modelOf(request);
        String body = body(request, m, true);
        // the cancel registration ends when the response is closed or aborted, i.e. with the stream
        OpenResponse response = http.openJson(uri, headers("text/event-stream"), body,
                Timeouts.within(timeouts.streamRead(), call), call, NAME, m);
        if (response.status() < 200 || response.status() >= 300) {
            String text = JsonApi.readErrorBody(response);
            throw AnthropicErrors.fromHttp(response.status(), response.headers(), text, m, apiKey);
        }
        return new AnthropicChatStream(m, response, apiKey, maxEventBytes);
    }

    /** GET {base}/v1/models with the key and version headers. */
    @Override
    public ProviderHealth probe(Duration timeout) {
        String path = uri.toString();
        URI models = URI.create(path.substring(0, path.length() - "/messages".length()) + "/models");
        Map<String, String> h = headers("application/json");
        h.remove("accept");
        return ModelsProbe.probe(http, models, h, timeout, apiKey, NAME, model);
    }

    /** ANTHROPIC_TEMPERATURE when neither the request nor the endpoint set one (maxTokens is applied in body()). */
    private ChatRequest withTemperature(ChatRequest request) {
        return new RequestDefaults(null, temperature).apply(request);
    }

    private String modelOf(ChatRequest request) {
        return request.model() != null && !request.model().isBlank() ? request.model() : model;
    }

    private String body(ChatRequest request, String m, boolean stream) {
        int max = request.maxTokens() != null ? request.maxTokens()
                : maxTokens != null ? maxTokens : DEFAULT_MAX_TOKENS;
        int budget = request.thinkingBudget() != null ? request.thinkingBudget()
                : thinkingBudget != null ? thinkingBudget : 0;
        String problem = thinkingProblem(budget, max);
        if (problem != null) {
            throw new LlmInvalidRequestException(NAME, m, problem);
        }
        return Json.write(AnthropicRequestWriter.write(request, m, max, budget, stream));
    }

    /** Why a thinking budget cannot be used with this output limit, or null when it can (or thinking is off). */
    static String thinkingProblem(int budget, int maxTokens) {
        if (budget <= 0) {
            return null;
        }
        if (budget < MIN_THINKING_BUDGET) {
            return "thinkingBudget " + budget + " is too small: Anthropic needs at least " + MIN_THINKING_BUDGET;
        }
        if (budget >= maxTokens) {
            return "thinkingBudget " + budget + " must be less than maxTokens (" + maxTokens
                    + "), which includes the thinking: raise maxTokens";
        }
        return null;
    }

    private Map<String, String> headers(String accept) {
        Map<String, String> headers = new HashMap<>();
        headers.put("anthropic-version", anthropicVersion);
        headers.put("accept", accept);
        // no key means baseUrl is the user's own proxy, which adds it
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        return headers;
    }
}
