package dev.camelllm.semantic;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The semantic caches of one component, one per profile, shared by every endpoint of the profile. The first
 * endpoint that uses a profile's semantic cache sets its size and time to live.
 */
public final class SemanticCaches {

    private final Map<String, SemanticCache> byProfile = new ConcurrentHashMap<>();

    public SemanticCache of(String profile, int maxEntries, Duration ttl) {
        return byProfile.computeIfAbsent(profile, p -> new SemanticCache(p, maxEntries, ttl));
    }

    /** Forgets every cache (the component stops). */
    public void clear() {
        byProfile.clear();
    }
}
