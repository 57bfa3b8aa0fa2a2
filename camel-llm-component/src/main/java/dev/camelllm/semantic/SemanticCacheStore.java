package dev.camelllm.semantic;

import dev.camelllm.cache.CachedAnswer;

/**
 * Where a profile's semantic cache keeps its answers, each with the embedding of the prompt it answered,
 * grouped by scope ({@code CacheKeys.semanticScope}): this process's memory ({@link SemanticCache}) or the
 * shared state store (Redis; {@code component.StateSemanticStore}). A store must be safe for concurrent use
 * and never throw: a lookup it cannot answer is a miss, a write it cannot make is skipped.
 */
public interface SemanticCacheStore {

    /** A lookup's outcome: the answer (null on a miss) and the best similarity seen (NaN when nothing was compared). */
    record Match(CachedAnswer answer, double similarity) {

        public boolean hit() {
            return answer != null;
        }
    }

    /** The closest live answer of the scope, when its similarity to {@code vector} is at least {@code threshold}. */
    Match lookup(String scope, float[] vector, double threshold);

    /** Caches an answer to the prompt whose embedding is {@code vector}, under its exact key (the same key replaces). */
    void put(String key, String scope, float[] vector, CachedAnswer answer);
}
