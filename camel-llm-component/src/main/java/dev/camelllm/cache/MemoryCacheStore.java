package dev.camelllm.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Answers in this process's memory: at most {@code maxEntries}, the least recently used one evicted first
 * (a LinkedHashMap in access order), each until its time to live has passed (checked on lookup).
 */
public final class MemoryCacheStore implements CacheStore {

    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Timed> entries;

    public MemoryCacheStore(int maxEntries) {
        this(maxEntries, System::nanoTime);
    }

    /** With the clock given (tests move it by hand). */
    public MemoryCacheStore(int maxEntries, LongSupplier nanoTime) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("cacheMaxEntries must be positive, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Timed> eldest) {
                return size() > MemoryCacheStore.this.maxEntries;
            }
        };
    }

    @Override
    public synchronized CachedAnswer get(String key) {
        Timed e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nanoTime.getAsLong() - e.expiresAt >= 0) {
            entries.remove(key);
            return null;
        }
        return e.answer;
    }

    @Override
    public synchronized void put(String key, CachedAnswer answer, Duration ttl) {
        entries.put(key, new Timed(answer, nanoTime.getAsLong() + ttl.toNanos()));
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    private record Timed(CachedAnswer answer, long expiresAt) {
    }
}
