package dev.camelllm.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The response caches of one component, one per profile: every endpoint of a profile (a route's
 * {@code llm:chat}, the gateway's {@code llm:chat?fullResponse=true}) shares it. The first endpoint that
 * uses a profile's cache sets its size and time to live. Where the entries live is the store factory's
 * choice (in memory by default), or the endpoint's (its cacheStore option).
 */
public final class ResponseCaches {

    /** Makes the store of one profile. */
    @FunctionalInterface
    public interface StoreFactory {
        CacheStore create(String profile, int maxEntries);
    }

    private final StoreFactory factory;
    private final Map<String, ResponseCache> byProfile = new ConcurrentHashMap<>();

    public ResponseCaches() {
        this((profile, maxEntries) -> new MemoryCacheStore(maxEntries));
    }

    public ResponseCaches(StoreFactory factory) {
        this.factory = factory;
    }

    public ResponseCache of(String profile, int maxEntries, Duration ttl) {
        return byProfile.computeIfAbsent(profile, p -> new ResponseCache(p, factory.create(p, maxEntries), ttl));
    }

    /** The profile's cache; the first use makes its store with {@code store} (the endpoint chooses where). */
    public ResponseCache of(String profile, Duration ttl, Supplier<CacheStore> store) {
        return byProfile.computeIfAbsent(profile, p -> new ResponseCache(p, store.get(), ttl));
    }

    /** Forgets every cache (the component stops). */
    public void clear() {
        byProfile.clear();
    }
}
