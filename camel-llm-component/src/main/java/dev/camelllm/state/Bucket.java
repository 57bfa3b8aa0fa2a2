package dev.camelllm.state;

import java.time.Duration;

/**
 * One token bucket of a state store: {@code capacity} tokens refilled continuously over {@code period}, full
 * when first used. The key names it in the store (e.g. {@code group:openai:rpm}), so every instance that uses
 * the same key with a shared store draws from the same bucket.
 */
public record Bucket(String key, long capacity, Duration period) {

    public Bucket {
        if (capacity <= 0) {
            throw new IllegalArgumentException("bucket " + key + ": capacity must be positive");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("bucket " + key + ": period must be positive");
        }
    }
}
