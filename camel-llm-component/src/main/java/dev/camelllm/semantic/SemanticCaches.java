package dev.camelllm.semantic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The semantic caches of one component, one per profile, shared by every endpoint of the profile. The first
 * endpoint that uses a profile's semantic cache sets its store (memory or the shared state store), size and
 * time to live.
 */
public final class SemanticCaches {

    private final Map<String, SemanticCacheStore> byProfile = new ConcurrentHashMap<>();

    /** The profile's store, made by {@code create} on first use. */
    public SemanticCacheStore of(String profile, Supplier<SemanticCacheStore> create) {
        return byProfile.computeIfAbsent(profile, p -> create.get());
    }

    /** Forgets every cache (the component stops). */
    public void clear() {
        byProfile.clear();
    }
}
