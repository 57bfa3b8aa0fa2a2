package dev.camelllm.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.camelllm.api.ErrorKind;

/**
 * The request and token limits of one group (a provider or a profile): requests per minute, requests
 * per hour, tokens per minute. A call takes one request from each request bucket and its estimated
 * tokens from the token bucket, all or nothing; after the call the token bucket is corrected by the real
 * usage. At the limit the call waits (bounded by maxWait) or fails at once, as configured.
 */
public final class RateLimits {

    private final TokenBucket perMinute;
    private final TokenBucket perHour;
    private final TokenBucket tokensPerMinute;
    private final boolean failFast;
    private final Duration maxWait;

    public RateLimits(int requestsPerMinute, int requestsPerHour, int tokensPerMinute, boolean failFast,
                      Duration maxWait) {
        this.perMinute = requestsPerMinute > 0 ? new TokenBucket(requestsPerMinute, Duration.ofMinutes(1)) : null;
        this.perHour = requestsPerHour > 0 ? new TokenBucket(requestsPerHour, Duration.ofHours(1)) : null;
        this.tokensPerMinute = tokensPerMinute > 0 ? new TokenBucket(tokensPerMinute, Duration.ofMinutes(1)) : null;
        this.failFast = failFast;
        this.maxWait = maxWait;
    }

    public boolean enabled() {
        return perMinute != null || perHour != null || tokensPerMinute != null;
    }

    /**
     * Takes a request and the estimated tokens, waiting when configured to.
     *
     * @return how long the call waited
     * @throws LocalLimitException when the limit is reached and the call may not (or can no longer) wait
     */
    public Duration acquire(long estimatedTokens, String provider, String model) {
        return acquire(estimatedTokens, provider, model, null);
    }

    /**
     * As {@link #acquire(long, String, String)}, waiting at most {@code timeLeft} (the call's deadline) when
     * that is shorter than maxWait. The wait parks the calling thread: a virtual thread on JDK 21+.
     */
    public Duration acquire(long estimatedTokens, String provider, String model, Duration timeLeft) {
        long start = System.nanoTime();
        long allowed = failFast ? 0 : maxWait.toNanos();
        if (timeLeft != null && timeLeft.toNanos() < allowed) {
            allowed = timeLeft.toNanos();
        }
        long deadline = start + allowed;
        while (true) {
            Duration wait;
            synchronized (this) {
                wait = timeUntilAvailable(estimatedTokens);
                if (wait.isZero()) {
                    take(estimatedTokens);
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            }
            long left = deadline - System.nanoTime();
            if (wait.toNanos() > left) {
                throw new LocalLimitException(ErrorKind.RATE_LIMIT, provider, model, "rate limit reached ("
                        + describe() + "); " + (failFast ? "rateLimitMode=fail" : "no capacity within "
                        + allowed / 1_000_000 + " ms" + (allowed < maxWait.toNanos() ? " (what was left of the deadline)"
                        : " (rateLimitMaxWait)")) + ", next capacity in " + wait.toMillis() + " ms");
            }
            try {
                Thread.sleep(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalLimitException(ErrorKind.CANCELLED, provider, model, "interrupted while waiting for the rate limit");
            }
        }
    }

    /** Corrects the token bucket once the real usage is known. */
    public void settle(long estimatedTokens, long actualTokens) {
        if (tokensPerMinute != null && actualTokens >= 0) {
            tokensPerMinute.adjust(actualTokens - estimatedTokens);
        }
    }

    /** Gives back what {@link #acquire} took, for a call that was refused before it reached the upstream. */
    public synchronized void refund(long estimatedTokens) {
        for (TokenBucket b : requestBuckets()) {
            b.adjust(-1);
        }
        if (tokensPerMinute != null) {
            tokensPerMinute.adjust(-estimatedTokens);
        }
    }

    /** Tokens left in the tokens-per-minute bucket (for tests and the dev console); -1 when unlimited. */
    public double tokensAvailable() {
        return tokensPerMinute == null ? -1 : tokensPerMinute.available();
    }

    private Duration timeUntilAvailable(long tokens) {
        Duration wait = Duration.ZERO;
        for (TokenBucket b : requestBuckets()) {
            wait = max(wait, b.timeUntil(1));
        }
        if (tokensPerMinute != null) {
            wait = max(wait, tokensPerMinute.timeUntil(tokens));
        }
        return wait;
    }

    private void take(long tokens) {
        for (TokenBucket b : requestBuckets()) {
            b.adjust(1);
        }
        if (tokensPerMinute != null) {
            tokensPerMinute.adjust(tokens);
        }
    }

    private List<TokenBucket> requestBuckets() {
        List<TokenBucket> list = new ArrayList<>(2);
        if (perMinute != null) {
            list.add(perMinute);
        }
        if (perHour != null) {
            list.add(perHour);
        }
        return list;
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        if (perMinute != null) {
            parts.add(perMinute.capacity() + " requests/minute");
        }
        if (perHour != null) {
            parts.add(perHour.capacity() + " requests/hour");
        }
        if (tokensPerMinute != null) {
            parts.add(tokensPerMinute.capacity() + " tokens/minute");
        }
        return String.join(", ", parts);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
