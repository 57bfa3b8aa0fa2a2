package dev.camelllm.component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.execution.Call;
import dev.camelllm.resilience.BackoffOnCallThread;
import dev.camelllm.resilience.CallStats;
import dev.camelllm.resilience.ResilientProvider;
import dev.camelllm.spi.EmbeddingProvider;

/**
 * Operation embed: the body (a String, a collection of Strings, or an {@link EmbeddingRequest}) becomes
 * vectors. The inputs are split into batches of at most the provider's {@link EmbeddingProvider#maxBatchSize()};
 * each batch goes through the resilience layer (group limits, retries, the call's one deadline) and the
 * answers are joined in order. No fallback chain: another model's vectors would not be comparable.
 */
final class Embeddings {

    private Embeddings() {
    }

    /** The request of the exchange, checked before any call: every input a non-blank text. */
    static EmbeddingRequest request(Exchange exchange, LlmEndpoint target) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        EmbeddingRequest request;
        String model = in.getHeader(LlmConstants.MODEL, String.class);
        if (model != null && (model.isBlank() || model.equals(exchange.getProperty(RequestFactory.MODEL_WRITTEN_PROPERTY)))) {
            model = null;
        }
        Integer dimensions = in.getHeader(LlmConstants.EMBEDDING_DIMENSIONS, Integer.class);
        if (body instanceof EmbeddingRequest r) {
            request = r;
        } else if (body instanceof CharSequence text) {
            request = new EmbeddingRequest(List.of(text.toString()), model, dimensions);
        } else if (body instanceof Collection<?> items) {
            List<String> texts = new ArrayList<>(items.size());
            int i = 0;
            for (Object item : items) {
                if (!(item instanceof CharSequence text)) {
                    throw invalid(target, "operation embed: input " + i + " of the body is "
                            + (item == null ? "null" : "a " + item.getClass().getName()) + ", not a String");
                }
                texts.add(text.toString());
                i++;
            }
            request = new EmbeddingRequest(texts, model, dimensions);
        } else if (body == null) {
            throw invalid(target, "operation embed needs a body: a String or a List of Strings");
        } else {
            String text = in.getBody(String.class);
            if (text == null) {
                throw invalid(target, "operation embed: the body is a " + body.getClass().getName()
                        + "; give a String or a List of Strings");
            }
            request = new EmbeddingRequest(List.of(text), model, dimensions);
        }
        for (int i = 0; i < request.inputs().size(); i++) {
            String text = request.inputs().get(i);
            if (text == null || text.isBlank()) {
                throw invalid(target, "operation embed: input " + i + " is empty; every input must have text");
            }
        }
        EmbeddingProvider embedder = embedder(target);
        if (request.dimensions() != null && !embedder.supportsDimensions()
                && request.dimensions() != embedder.dimensions()) {
            throw invalid(target, "model " + target.getProvider().model() + " gives vectors of " + embedder.dimensions()
                    + " dimensions and cannot shorten them: leave dimensions unset");
        }
        return request;
    }

    /**
     * Whether the embedding may run on a platform caller's thread: a model in this JVM, one batch, a free
     * slot of the model and no limit of the group that could wait. Otherwise a wait (for the model, a rate
     * limit, a concurrency slot) would park the caller's platform thread, so the call goes to a call thread.
     * A retry's backoff after a failed local run moves the call to a call thread ({@link #embedOnCaller}).
     */
    static boolean runsOnCaller(LlmEndpoint target, EmbeddingRequest request) {
        EmbeddingProvider embedder = embedder(target);
        return embedder.inProcess() && request.inputs().size() <= Math.max(1, embedder.maxBatchSize())
                && embedder.startsAtOnce() && !target.getProvider().group().mayWait();
    }

    /** The provider as an embedder, or a clear INVALID_REQUEST naming the providers that embed. */
    static EmbeddingProvider embedder(LlmEndpoint target) {
        if (target.getProvider().delegate() instanceof EmbeddingProvider embedder) {
            return embedder;
        }
        throw invalid(target, "provider " + target.getProvider().name() + " cannot embed: use a provider that does "
                + "(openai, openai-compatible, azure-openai, gemini, bedrock with Titan Text Embeddings, onnx with an embedding model such as all-minilm-l6-v2-q)");
    }

    /** How many batches (provider calls, before retries) the request's inputs take. */
    static int batches(LlmEndpoint target, EmbeddingRequest request) {
        int batch = Math.max(1, embedder(target).maxBatchSize());
        return Math.max(1, (request.inputs().size() + batch - 1) / batch);
    }

    /** Embeds every input in batches within the provider's limit, each through the resilience layer. */
    static EmbeddingResponse embed(LlmEndpoint target, EmbeddingRequest request, CallStats stats, Call call) {
        ResilientProvider provider = target.getProvider();
        int batch = Math.max(1, embedder(target).maxBatchSize());
        long start = System.nanoTime();
        if (request.inputs().isEmpty()) {
            return new EmbeddingResponse(List.of(), embedder(target).dimensions(), provider.name(),
                    request.model() != null ? request.model() : provider.model(), null, 0);
        }
        List<EmbeddingResponse> parts = new ArrayList<>();
        for (int from = 0; from < request.inputs().size(); from += batch) {
            int to = Math.min(request.inputs().size(), from + batch);
            parts.add(provider.embed(request.slice(from, to), stats, call));
        }
        return EmbeddingResponse.concat(parts).withDuration((System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The same for a request that {@link #runsOnCaller} (one batch), run on a platform caller's thread: a retry
     * that needs a backoff throws {@link BackoffOnCallThread} instead of waiting here, for {@link #resume} on a
     * call thread.
     */
    static EmbeddingResponse embedOnCaller(LlmEndpoint target, EmbeddingRequest request, CallStats stats, Call call) {
        if (request.inputs().isEmpty()) {
            return embed(target, request, stats, call);
        }
        long start = System.nanoTime();
        return target.getProvider().embedOnCaller(request, stats, call).withDuration((System.nanoTime() - start) / 1_000_000);
    }

    /** Goes on, on a call thread, with the batch that {@link #embedOnCaller} handed off: its backoff, its attempts left. */
    static EmbeddingResponse resume(LlmEndpoint target, EmbeddingRequest request, CallStats stats, Call call,
                                    BackoffOnCallThread moved) {
        EmbeddingResponse response = target.getProvider().resumeEmbed(request, stats, call, moved);
        // the call opened just before the first attempt: its time so far is the embedding's, backoff included
        return response.withDuration(call.elapsedMillis());
    }

    /**
     * The body becomes a {@code float[]} for a single String body, else a {@code List<float[]>}; with
     * {@code fullResponse} the {@link EmbeddingResponse}. Headers: provider, model, dimensions, input tokens.
     */
    static void apply(Exchange exchange, EmbeddingRequest request, EmbeddingResponse response, boolean full,
                      boolean single) {
        Message message = exchange.getMessage();
        message.setHeader(LlmConstants.PROVIDER, response.provider());
        message.setHeader(LlmConstants.MODEL, response.model());
        exchange.setProperty(RequestFactory.MODEL_WRITTEN_PROPERTY, response.model());
        message.setHeader(LlmConstants.EMBEDDING_DIMENSIONS, response.dimensions());
        message.setHeader(LlmConstants.INPUT_TOKENS, response.usage().inputTokens());
        message.setHeader(LlmConstants.DURATION_MS, response.durationMs());
        if (full) {
            message.setBody(response);
        } else if (single && response.vectors().size() == 1) {
            message.setBody(response.vectors().get(0));
        } else {
            message.setBody(response.vectors());
        }
    }

    private static LlmInvalidRequestException invalid(LlmEndpoint target, String message) {
        return new LlmInvalidRequestException(target.getProvider().name(), target.getProvider().model(), message);
    }
}
