package dev.camelllm.component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.CachedAnswerJson;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.semantic.Closest;
import dev.camelllm.semantic.SemanticCacheStore;
import dev.camelllm.semantic.Vectors;
import dev.camelllm.state.CandidateSets;

/**
 * A profile's semantic cache in the shared state store (Redis): per scope one candidate set,
 * {@code semantic:<profile>:<scope>}, of the newest {@code semanticCacheCandidates} answers, each with its
 * prompt's embedding ({@link Vectors#encode}) as the probe and its {@link CachedAnswerJson} as the payload.
 * A lookup fetches the scope's embeddings in one round trip and compares them here, in Java (Redis has no
 * vector search without a module); on a hit a second round trip fetches the winner's answer. So a lookup
 * moves at most {@code semanticCacheCandidates} embeddings (about 2 KB each for 384 dimensions), never the
 * answers it does not use.
 * <p>
 * As for the exact cache ({@link StateCacheStore}) nothing here fails a call: a store that is down or slow, a
 * corrupt embedding or answer, or an answer over cacheMaxEntryBytes is a miss or a skipped write, counted in
 * {@link LlmMetrics#CACHE_FAILURES} (cache=semantic). Writes are not waited for ({@link CacheWrites}).
 */
final class StateSemanticStore implements SemanticCacheStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateSemanticStore.class);

    private final String profile;
    private final CandidateSets sets;
    private final int candidates;
    private final Duration ttl;
    private final int maxEntryBytes;
    private final LlmMetrics metrics;
    private final CacheWrites writes;

    StateSemanticStore(String profile, CandidateSets sets, int candidates, Duration ttl, int maxEntryBytes,
                       LlmMetrics metrics) {
        if (candidates <= 0) {
            throw new IllegalArgumentException("semanticCacheCandidates must be positive, was " + candidates);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cacheTtl must be positive, was " + ttl.toMillis() + " ms");
        }
        this.profile = profile;
        this.sets = sets;
        this.candidates = candidates;
        this.ttl = ttl;
        this.maxEntryBytes = maxEntryBytes;
        this.metrics = metrics;
        this.writes = new CacheWrites(profile, LlmMetrics.SEMANTIC, metrics);
    }

    private String set(String scope) {
        return "semantic:" + profile + ":" + scope;
    }

    @Override
    public Match lookup(String scope, float[] vector, double threshold) {
        List<CandidateSets.Candidate> found;
        try {
            found = sets.newest(set(scope), candidates, ttl);
        } catch (RuntimeException e) { // StateStoreUnavailableException, or the client's own: a miss
            unavailable(e);
            return new Match(null, Double.NaN);
        }
        Closest<String> search = new Closest<>(vector);
        int corrupt = 0;
        for (CandidateSets.Candidate c : found) {
            try {
                search.offer(c.id(), Vectors.decode(c.probe()));
            } catch (IllegalArgumentException e) {
                corrupt++;
            }
        }
        if (corrupt > 0) {
            corrupt(corrupt + " embedding(s) of a scope", "not an embedding");
        }
        String best = search.reaching(threshold);
        return new Match(best == null ? null : answer(scope, best), search.similarity());
    }

    /** The answer of the winning candidate; null (a miss) when it is gone, too large or corrupt. */
    private CachedAnswer answer(String scope, String id) {
        String json;
        try {
            json = sets.payload(set(scope), id);
        } catch (RuntimeException e) {
            unavailable(e);
            return null;
        }
        if (json == null) {
            return null; // dropped between the two round trips
        }
        if (json.length() > maxEntryBytes) {
            metrics.cacheFailed(profile, LlmMetrics.SEMANTIC, LlmMetrics.GET, LlmMetrics.TOO_LARGE);
            return null;
        }
        try {
            return CachedAnswerJson.decode(json);
        } catch (IllegalArgumentException e) {
            corrupt("an answer", e.getMessage());
            return null;
        }
    }

    @Override
    public void put(String key, String scope, float[] vector, CachedAnswer answer) {
        String json = CachedAnswerJson.encode(answer);
        if (json == null) {
            metrics.cacheFailed(profile, LlmMetrics.SEMANTIC, LlmMetrics.PUT, LlmMetrics.UNSUPPORTED);
            return;
        }
        if (json.length() > maxEntryBytes || json.getBytes(StandardCharsets.UTF_8).length > maxEntryBytes) {
            metrics.cacheFailed(profile, LlmMetrics.SEMANTIC, LlmMetrics.PUT, LlmMetrics.TOO_LARGE);
            return;
        }
        String probe = Vectors.encode(vector);
        writes.send(() -> sets.add(set(scope), key, probe, json, candidates, ttl));
    }

    private void unavailable(RuntimeException e) {
        // the state store logs the outage once; each miss it causes is counted
        metrics.cacheFailed(profile, LlmMetrics.SEMANTIC, LlmMetrics.GET, LlmMetrics.UNAVAILABLE);
        LOG.debug("Semantic cache of profile '{}': lookup answered as a miss: {}", profile, e.getMessage());
    }

    private void corrupt(String what, String why) {
        metrics.cacheFailed(profile, LlmMetrics.SEMANTIC, LlmMetrics.GET, LlmMetrics.CORRUPT);
        // never the entry itself: it is untrusted, and may hold anything
        LOG.warn("Semantic cache of profile '{}': {} in the state store is not valid ({}); answered as a miss",
                profile, what, why);
    }
}
