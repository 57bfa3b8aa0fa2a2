package dev.camelllm.semantic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import dev.camelllm.cache.CachedAnswer;

/**
 * One profile's semantic cache, in this process's memory: answers with the embedding of the prompt they
 * answered, grouped by scope (everything of the request that must match exactly: provider, model, gateway
 * key, system prompt, earlier messages, tools, parameters; {@code CacheKeys.semanticScope}). A lookup
 * compares the prompt's embedding with every live entry of its scope, in Java ({@link Vectors#cosine}), and
 * answers the closest one when it reaches the threshold. At most {@code maxEntries} entries over all scopes,
 * the least recently used evicted first; each expires after the time to live (checked when it is compared).
 * So a lookup compares at most {@code maxEntries} vectors.
 */
public final class SemanticCache implements SemanticCacheStore {

    private final String profile;
    private final int maxEntries;
    private final Duration ttl;
    private final LongSupplier nanoTime;
    /** Entries by their exact key, in access order: the eldest is the least recently used. */
    private final LinkedHashMap<String, Entry> entries;
    private final Map<String, Set<String>> byScope = new HashMap<>();

    private record Entry(String scope, float[] vector, CachedAnswer answer, long expiresAt) {
    }

    public SemanticCache(String profile, int maxEntries, Duration ttl) {
        this(profile, maxEntries, ttl, System::nanoTime);
    }

    /** With the clock given (tests move it by hand). */
    public SemanticCache(String profile, int maxEntries, Duration ttl, LongSupplier nanoTime) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("semanticCacheMaxEntries must be positive, was " + maxEntries);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cacheTtl must be positive, was " + ttl.toMillis() + " ms");
        }
        this.profile = profile;
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public synchronized Match lookup(String scope, float[] vector, double threshold) {
        Set<String> keys = byScope.get(scope);
        if (keys == null) {
            return new Match(null, Double.NaN);
        }
        long now = nanoTime.getAsLong();
        Closest<String> closest = new Closest<>(vector);
        for (var it = keys.iterator(); it.hasNext(); ) {
            String key = it.next();
            Entry e = entries.get(key);
            if (now - e.expiresAt >= 0) {
                it.remove();
                entries.remove(key);
                continue;
            }
            closest.offer(key, e.vector);
        }
        if (keys.isEmpty()) {
            byScope.remove(scope);
        }
        String bestKey = closest.reaching(threshold);
        if (bestKey == null) {
            return new Match(null, closest.similarity());
        }
        return new Match(entries.get(bestKey).answer, closest.similarity()); // the get marks it recently used
    }

    /**
     * Caches an answer to the prompt whose embedding is {@code vector}, under its exact key (so that the same
     * request again replaces it rather than adding a twin); the least recently used entry goes when full.
     */
    @Override
    public synchronized void put(String key, String scope, float[] vector, CachedAnswer answer) {
        Entry old = entries.remove(key);
        if (old != null) {
            forget(key, old.scope);
        }
        entries.put(key, new Entry(scope, vector.clone(), answer, nanoTime.getAsLong() + ttl.toNanos()));
        byScope.computeIfAbsent(scope, s -> new LinkedHashSet<>()).add(key);
        while (entries.size() > maxEntries) {
            var eldest = entries.entrySet().iterator().next();
            entries.remove(eldest.getKey());
            forget(eldest.getKey(), eldest.getValue().scope);
        }
    }

    private void forget(String key, String scope) {
        Set<String> keys = byScope.get(scope);
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                byScope.remove(scope);
            }
        }
    }

    /** How many answers are cached now (expired ones not yet compared may be counted). */
    public synchronized int size() {
        return entries.size();
    }

    public String profile() {
        return profile;
    }
}
