package dev.camelllm.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response caches of one component, one per profile: every endpoint of a profile (a route's
 * {@code llm:chat}, the gateway's {@code llm:chat?fullResponse=true}) shares it. The first endpoint that
 * uses a profile's cache sets its size and time to live. Where the entries live is the store factory's
 * choice: in memory by default.
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

    /** Forgets every cache (the component stops). */
    public void clear() {
        byProfile.clear();
    }
}
