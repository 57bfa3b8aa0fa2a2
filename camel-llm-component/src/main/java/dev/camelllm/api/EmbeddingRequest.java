package dev.camelllm.api;

import java.util.List;
import java.util.Objects;

/**
 * Texts to embed, in order: one vector comes back for each. {@code model} overrides the endpoint's model;
 * {@code dimensions}, when set, asks for shorter vectors (only models that support it: OpenAI's
 * text-embedding-3-*); a provider that cannot honour it fails with {@link LlmInvalidRequestException}.
 */
public record EmbeddingRequest(List<String> inputs, String model, Integer dimensions) {

    public EmbeddingRequest {
        Objects.requireNonNull(inputs, "inputs");
        inputs = List.copyOf(inputs);
        if (dimensions != null && dimensions < 1) {
            throw new LlmInvalidRequestException(null, model, "dimensions must be at least 1, was " + dimensions);
        }
    }

    public static EmbeddingRequest of(List<String> inputs) {
        return new EmbeddingRequest(inputs, null, null);
    }

    public static EmbeddingRequest of(String... inputs) {
        return new EmbeddingRequest(List.of(inputs), null, null);
    }

    /** The same request for a slice of the inputs (a batch within the provider's limit). */
    public EmbeddingRequest slice(int from, int to) {
        return new EmbeddingRequest(inputs.subList(from, to), model, dimensions);
    }
}
