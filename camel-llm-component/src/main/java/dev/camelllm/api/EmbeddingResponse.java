package dev.camelllm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The vectors of an {@link EmbeddingRequest}, one per input and in the inputs' order, all of
 * {@code dimensions} floats; {@code usage} counts the input tokens (output tokens are 0).
 */
public record EmbeddingResponse(List<float[]> vectors, int dimensions, String provider, String model, Usage usage,
                                long durationMs) {

    public EmbeddingResponse {
        Objects.requireNonNull(vectors, "vectors");
        vectors = List.copyOf(vectors);
        usage = usage == null ? Usage.EMPTY : usage;
    }

    /** Joins the answers of consecutive batches into one: vectors in order, usage and time added up. */
    public static EmbeddingResponse concat(List<EmbeddingResponse> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<float[]> all = new ArrayList<>();
        long input = 0;
        long duration = 0;
        int dims = 0;
        for (EmbeddingResponse part : parts) {
            all.addAll(part.vectors());
            input += part.usage().inputTokens();
            duration += part.durationMs();
            dims = part.dimensions();
        }
        EmbeddingResponse first = parts.get(0);
        return new EmbeddingResponse(all, dims, first.provider(), first.model(), new Usage(input, 0), duration);
    }

    public EmbeddingResponse withDuration(long ms) {
        return new EmbeddingResponse(vectors, dimensions, provider, model, usage, ms);
    }
}
