package dev.camelllm.component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.cache.CacheStore;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.CachedAnswerJson;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.state.ExpiringValues;

/**
 * A profile's exact response cache in the shared state store (Redis): one key per answer,
 * {@code camel-llm:cache:<profile>:<sha256>}, its JSON ({@link CachedAnswerJson}) as the value and the cache's
 * time to live as the key's expiry, over the state store's own connection. It lives here, not in
 * {@code cache}, because only the component may join the cache and the state store.
 * <p>
 * The cache is optional, so nothing here fails a call: a server that is down or slower than
 * stateStoreTimeout, an entry that does not parse (what Redis holds is untrusted) or one larger than
 * cacheMaxEntryBytes is a miss, or a skipped write, counted in {@link LlmMetrics#CACHE_FAILURES} with its reason.
 * Writes are not waited for ({@link CacheWrites}): an answer never waits for its own caching.
 */
final class StateCacheStore implements CacheStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateCacheStore.class);

    private final String profile;
    private final ExpiringValues values;
    private final int maxEntryBytes;
    private final LlmMetrics metrics;
    private final CacheWrites writes;

    StateCacheStore(String profile, ExpiringValues values, int maxEntryBytes, LlmMetrics metrics) {
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("cacheMaxEntryBytes must be positive, was " + maxEntryBytes);
        }
        this.profile = profile;
        this.values = values;
        this.maxEntryBytes = maxEntryBytes;
        this.metrics = metrics;
        this.writes = new CacheWrites(profile, LlmMetrics.EXACT, metrics);
    }

    private String name(String key) {
        return "cache:" + profile + ":" + key;
    }

    @Override
    public CachedAnswer get(String key) {
        String json;
        try {
            json = values.get(name(key));
        } catch (RuntimeException e) { // StateStoreUnavailableException, or the client's own (a cache never fails a call)
            // the state store logs the outage once; each miss it causes is counted
            metrics.cacheFailed(profile, LlmMetrics.GET, LlmMetrics.UNAVAILABLE);
            LOG.debug("Response cache of profile '{}': lookup answered as a miss: {}", profile, e.getMessage());
            return null;
        }
        if (json == null) {
            return null;
        }
        // a String is at least as many UTF-8 bytes as chars: longer than the limit in chars is surely too large
        if (json.length() > maxEntryBytes) {
            metrics.cacheFailed(profile, LlmMetrics.GET, LlmMetrics.TOO_LARGE);
            return null;
        }
        try {
            return CachedAnswerJson.decode(json);
        } catch (IllegalArgumentException e) {
            metrics.cacheFailed(profile, LlmMetrics.GET, LlmMetrics.CORRUPT);
            // never the entry itself: it is untrusted, and may hold anything
            LOG.warn("Response cache of profile '{}': an entry in the state store is not a cached answer ({}); "
                    + "answered as a miss", profile, e.getMessage());
            return null;
        }
    }

    @Override
    public void put(String key, CachedAnswer answer, Duration ttl) {
        String json = CachedAnswerJson.encode(answer);
        if (json == null) {
            metrics.cacheFailed(profile, LlmMetrics.PUT, LlmMetrics.UNSUPPORTED);
            return;
        }
        if (json.length() > maxEntryBytes || json.getBytes(StandardCharsets.UTF_8).length > maxEntryBytes) {
            metrics.cacheFailed(profile, LlmMetrics.PUT, LlmMetrics.TOO_LARGE);
            LOG.debug("Response cache of profile '{}': an answer larger than cacheMaxEntryBytes={} is not cached",
                    profile, maxEntryBytes);
            return;
        }
        // not waited for: the answer goes back to the caller while Redis stores it
        writes.send(() -> values.set(name(key), json, ttl));
    }

    /** Unknown: counting a profile's keys would scan the server. */
    @Override
    public int size() {
        return -1;
    }
}
