package dev.camelllm.provider.onnx;

import java.time.Duration;
import java.util.Map;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;
import dev.camelllm.spi.ProviderHealth;

/**
 * A local sentence-embedding model behind the onnx provider: every batch (at most {@code provider.batchSize}
 * texts, default 64) is one {@code session.run}. It only embeds: a chat or stream call fails with
 * INVALID_REQUEST naming {@code operation=embed}.
 */
final class OnnxEmbeddingProvider implements ChatProvider, EmbeddingProvider {

    private final EmbeddingModel model;
    private final int batchSize;
    private final Duration timeout;

    OnnxEmbeddingProvider(EmbeddingModel model, int batchSize, long timeoutMs) {
        this.model = model;
        this.batchSize = batchSize;
        this.timeout = Duration.ofMillis(timeoutMs > 0 ? timeoutMs : 120_000);
    }

    @Override
    public String name() {
        return OnnxOptions.PROVIDER;
    }

    @Override
    public String model() {
        return model.name();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext call) {
        if (request.dimensions() != null && request.dimensions() != model.dimensions()) {
            throw new LlmInvalidRequestException(name(), model.name(), "model " + model.name() + " gives vectors of "
                    + model.dimensions() + " dimensions and cannot shorten them: leave dimensions unset");
        }
        if (request.inputs().size() > batchSize) {
            throw new LlmInvalidRequestException(name(), model.name(), request.inputs().size()
                    + " texts in one call; provider.batchSize is " + batchSize);
        }
        long start = System.nanoTime();
        EmbeddingModel.Vectors out = model.embed(request.inputs(), call);
        return new EmbeddingResponse(out.vectors(), model.dimensions(), name(), model.name(), new Usage(out.tokens(), 0),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The model runs in this JVM: the call stays on the caller's thread (no hand-off to a call thread). */
    @Override
    public boolean inProcess() {
        return true;
    }

    /** A run slot of the model is free now. */
    @Override
    public boolean startsAtOnce() {
        return model.hasFreeSlot();
    }

    @Override
    public int maxBatchSize() {
        return batchSize;
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext call) {
        throw chatRefused();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext call) {
        throw chatRefused();
    }

    private LlmInvalidRequestException chatRefused() {
        return new LlmInvalidRequestException(name(), model.name(), "model " + model.name()
                + " is an embedding model: it cannot chat; use operation=embed (or the gateway's /v1/embeddings)");
    }

    @Override
    public ProviderHealth health() {
        return model.closed()
                ? ProviderHealth.down("embedding model " + model.name() + " is unloaded", Map.of("model", model.name()))
                : ProviderHealth.up("embedding model " + model.name() + " loaded on " + model.device(),
                        Map.of("model", model.name(), "dimensions", model.dimensions()));
    }

    /** The loaded model, for the benchmark's bare-run comparison. */
    EmbeddingModel loaded() {
        return model;
    }
}
