package dev.camelllm.spi;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;

/**
 * The embedding capability: a {@link ChatProvider} that can also turn texts into vectors implements this
 * interface too (a provider whose model only embeds answers chat with a clear INVALID_REQUEST). The
 * component's {@code operation=embed} and the gateway's {@code /v1/embeddings} use it; the component
 * splits the inputs into batches of at most {@link #maxBatchSize()} and sends each through the resilience
 * layer (rate limits, retries, one deadline), so a provider only ever sees a batch within its limits.
 */
public interface EmbeddingProvider {

    /**
     * Embeds every input of the request (at most {@link #maxBatchSize()}) within the call's time; the
     * answer has one vector per input, in order. Same rules as {@code ChatProvider.chat}: bound every
     * wait by {@link CallContext#timeLeft()}, stop when cancelled, throw typed {@code LlmException}s.
     */
    EmbeddingResponse embed(EmbeddingRequest request, CallContext call);

    /** The most inputs one {@link #embed} call takes (the upstream's limit, or a local model's batch). */
    int maxBatchSize();

    /** The length of the vectors of the default model, or -1 when it is only known after a call. */
    default int dimensions() {
        return -1;
    }

    /** Whether a request may ask for shorter vectors ({@link EmbeddingRequest#dimensions()}). */
    default boolean supportsDimensions() {
        return false;
    }

    /**
     * Whether {@link #embed} is CPU or GPU work in this JVM (a local model) rather than a wait for the
     * network. Then the component runs the call on the caller's thread: handing it to a call thread and
     * waking the caller again would cost two thread hand-offs and free no CPU.
     */
    default boolean inProcess() {
        return false;
    }

    /**
     * For an {@link #inProcess()} provider: whether an embedding begun now would start at once rather than
     * wait for the model (e.g. a free run slot). A hint read without a lock, not a reservation: a caller on a
     * platform thread runs the call itself only when it is true, so that a wait parks a call thread instead.
     */
    default boolean startsAtOnce() {
        return false;
    }
}
