package dev.camelllm.cache;

import java.time.Duration;

/**
 * Where cached answers live. The component's default is {@link MemoryCacheStore} (one per profile, in this
 * process); a store shared by many instances (Redis, with the entry's time to live as the key's expiry)
 * implements this same contract. A store must be safe for concurrent use and must never throw for a
 * lookup it cannot answer: a miss is the safe answer.
 */
public interface CacheStore {

    /** The answer cached under this key, or null when there is none or it has expired. */
    CachedAnswer get(String key);

    /** Caches an answer under this key for {@code ttl}, replacing any answer cached under it. */
    void put(String key, CachedAnswer answer, Duration ttl);

    /** How many answers are cached now (expired ones not yet removed may be counted); -1 when the store cannot tell cheaply. */
    int size();
}
