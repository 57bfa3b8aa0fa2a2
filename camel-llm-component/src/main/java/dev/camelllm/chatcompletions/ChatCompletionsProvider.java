package dev.camelllm.chatcompletions;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.JsonApi;
import dev.camelllm.http.ModelsProbe;
import dev.camelllm.http.Timeouts;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderHealth;
import dev.camelllm.spi.RequestDefaults;

/**
 * A model behind a Chat Completions endpoint, OpenAI's or a compatible server's: the dialect says which.
 * Blocking calls POST and read the whole answer; streams return as soon as the upstream accepted the
 * request. Embeds through the same server's {@code /embeddings} ({@link OpenAiEmbeddings}).
 */
public final class ChatCompletionsProvider implements ChatProvider, EmbeddingProvider {

    private final ChatCompletionsDialect dialect;
    private final String model;
    private final HttpTransport http;
    private final Timeouts timeouts;
    private final ChatCompletionsRequestWriter writer;
    private final ChatCompletionsResponseReader reader;
    private final ChatCompletionsErrors errors;
    private final JsonApi api;
    private final RequestDefaults defaults;
    private final int maxEventBytes;
    private OpenAiEmbeddings embeddings;
    private int embeddingBatch = OpenAiEmbeddings.MAX_INPUTS;

    /** @param maxEventBytes the most bytes of one line or event of a stream ({@code SseChatStream.maxEventBytes}) */
    public ChatCompletionsProvider(ChatCompletionsDialect dialect, String model, HttpTransport http, Timeouts timeouts,
                                   RequestDefaults defaults, int maxEventBytes) {
        this.defaults = defaults;
        this.maxEventBytes = maxEventBytes;
        this.dialect = dialect;
        this.model = model;
        this.http = http;
        this.timeouts = timeouts;
        this.writer = new ChatCompletionsRequestWriter(dialect);
        this.reader = new ChatCompletionsResponseReader(dialect);
        this.errors = new ChatCompletionsErrors(dialect.provider(), dialect.apiKey());
        this.api = new JsonApi(http, dialect.provider(), "Chat Completions", errors::fromHttp);
        this.embeddings = new OpenAiEmbeddings(dialect, model, http, timeouts, errors,
                OpenAiEmbeddings.beside(dialect.endpoint()));
    }

    /** Embeds through this URI instead of the one beside {@code /chat/completions} (query included). */
    public ChatCompletionsProvider embeddingsAt(URI endpoint) {
        this.embeddings = new OpenAiEmbeddings(dialect, model, http, timeouts, errors, endpoint);
        return this;
    }

    /** Where the embeddings requests go. */
    public URI embeddingsEndpoint() {
        return embeddings.endpoint();
    }

    /** The most inputs of one embeddings request (provider.batchSize; OpenAI's own limit is 2048). */
    public ChatCompletionsProvider embeddingBatch(int inputs) {
        this.embeddingBatch = inputs;
        return this;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext call) {
        return embeddings.embed(request, call, OpenAiEmbeddings.headers(dialect));
    }

    @Override
    public int maxBatchSize() {
        return embeddingBatch;
    }

    /** text-embedding-3-* shorten vectors on request; a model that cannot, or a server without it, answers 400. */
    @Override
    public boolean supportsDimensions() {
        return true;
    }

    @Override
    public String name() {
        return dialect.provider();
    }

    @Override
    public String model() {
        return model;
    }

    public ChatCompletionsDialect dialect() {
        return dialect;
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
        // the timeout bounds each wait for bytes; the smaller of it and the call's time left the whole call
        JsonNode root = api.post(dialect.endpoint(), headers("application/json"), body, timeouts, call, m);
        if (root.hasNonNull("error")) {
            // some compatible servers report errors with HTTP 200
            throw errors.fromStream(root, m);
        }
        return api.read(m, () -> reader.read(root, m, (System.nanoTime() - start) / 1_000_000));
    }

    @Override
    public ChatStream stream(ChatRequest asked, CallContext call) {
        ChatRequest request = defaults.apply(asked);
        String m = modelOf(request);
        String body = Json.write(writer.write(request, m, true));
        // the cancel registration ends when the response is closed or aborted, i.e. with the stream
        OpenResponse response = api.open(dialect.endpoint(), headers("text/event-stream"), body, timeouts, call, m);
        try {
            return new ChatCompletionsStream(dialect, errors, m, response, maxEventBytes);
        } catch (RuntimeException e) {
            response.abort();
            throw e;
        }
    }

    /** Chat Completions usage counts cached prompt tokens within prompt_tokens. */
    @Override
    public boolean usageCountsCacheReadsInInput() {
        return true;
    }

    @Override
    public ProviderHealth probe(Duration timeout) {
        Map<String, String> h;
        try {
            h = headers("application/json");
        } catch (RuntimeException e) {
            return ProviderHealth.down("no credential: " + e.getMessage(), Map.of("provider", dialect.provider()));
        }
        h.remove("Accept");
        return ModelsProbe.probe(http, dialect.models(), h, timeout, dialect.apiKey(), dialect.provider(), model);
    }

    private String modelOf(ChatRequest request) {
        return request.model() != null && !request.model().isBlank() ? request.model() : model;
    }

    private Map<String, String> headers(String accept) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", accept);
        String auth = dialect.authValue();
        if (auth != null) {
            h.put(dialect.authHeaderName(), auth);
        }
        return h;
    }
}
