package dev.camelllm.state;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at capacity per period, full at start.
 * Written here rather than taken from Resilience4j's RateLimiter because that one refreshes fixed
 * windows and cannot take tokens back, while tokens-per-minute limits must be corrected after a call
 * from the real usage (the balance may go below zero: a debt the next calls wait for).
 */
public final class TokenBucket {

    private final long capacity;
    private final double tokensPerNano;
    private double available;
    private long lastRefill;

    public TokenBucket(long capacity, Duration period) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.tokensPerNano = (double) capacity / period.toNanos();
        this.available = capacity;
        this.lastRefill = System.nanoTime();
    }

    public long capacity() {
        return capacity;
    }

    /** Takes n tokens if they are there now. */
    public synchronized boolean tryAcquire(long n) {
        refill();
        if (available >= Math.min(n, capacity)) {
            available -= n;
            return true;
        }
        return false;
    }

    /** How long until n tokens are there (zero when they are). */
    public synchronized Duration timeUntil(long n) {
        refill();
        double missing = Math.min(n, capacity) - available;
        if (missing <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(missing / tokensPerNano));
    }

    /** Waits up to maxWait for n tokens and takes them; false when they did not come in time. */
    public boolean acquire(long n, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            if (tryAcquire(n)) {
                return true;
            }
            long wait = timeUntil(n).toNanos();
            long left = deadline - System.nanoTime();
            if (wait > left) {
                return false;
            }
            LockSupport.parkNanos(Math.max(wait, 100_000));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Takes (positive) or gives back (negative) tokens after the fact, e.g. real usage minus the estimate. */
    public synchronized void adjust(long delta) {
        refill();
        available = Math.min(capacity, available - delta);
    }

    public synchronized double available() {
        refill();
        return available;
    }

    private void refill() {
        long now = System.nanoTime();
        available = Math.min(capacity, available + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
    }
}
