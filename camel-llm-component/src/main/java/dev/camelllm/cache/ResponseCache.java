package dev.camelllm.cache;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile's exact response cache: its store and the time an answer stays in it. A store that fails
 * never fails the call: a failed lookup is a miss, a failed write is skipped (each logged at WARN).
 */
public final class ResponseCache {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

    private final String profile;
    private final CacheStore store;
    private final Duration ttl;

    public ResponseCache(String profile, CacheStore store, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cacheTtl must be positive, was " + ttl.toMillis() + " ms");
        }
        this.profile = profile;
        this.store = store;
        this.ttl = ttl;
    }

    public CachedAnswer lookup(String key) {
        try {
            return store.get(key);
        } catch (RuntimeException e) {
            LOG.warn("The response cache of profile '{}' could not be read (answered as a miss): {}", profile, e.toString());
            return null;
        }
    }

    /** Caches a whole answer; one that is not {@link CachedAnswer#cacheable} is left out. */
    public boolean store(String key, CachedAnswer answer) {
        if (!CachedAnswer.cacheable(answer.response())) {
            return false;
        }
        try {
            store.put(key, answer, ttl);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("The response cache of profile '{}' could not be written: {}", profile, e.toString());
            return false;
        }
    }

    public CacheStore store() {
        return store;
    }

    public Duration ttl() {
        return ttl;
    }
}
