package dev.camelllm.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.state.Bucket;
import dev.camelllm.state.MemoryStateStore;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStoreUnavailableException;

/**
 * The request and token limits of one resilience group: requests per minute, requests
 * per hour, tokens per minute. A call takes one request from each request bucket and its estimated
 * tokens from the token bucket, all or nothing; after the call the token bucket is corrected by the real
 * usage. At the limit the call waits (bounded by maxWait) or fails at once, as configured. The buckets live
 * in a {@link StateStore}: this process's memory, or Redis shared by every instance.
 */
public final class RateLimits {

    private final StateStore store;
    private final Bucket perMinute;
    private final Bucket perHour;
    private final Bucket tokensPerMinute;
    /** The request buckets then the token bucket: what one call takes from. */
    private final List<Bucket> all;
    private final boolean failFast;
    private final Duration maxWait;

    /** Limits of their own, in this process's memory. */
    public RateLimits(int requestsPerMinute, int requestsPerHour, int tokensPerMinute, boolean failFast,
                      Duration maxWait) {
        this(new MemoryStateStore(), "local", requestsPerMinute, requestsPerHour, tokensPerMinute, failFast, maxWait);
    }

    /** Limits kept in {@code store} under keys that start with {@code scope} (e.g. {@code group:openai}). */
    public RateLimits(StateStore store, String scope, int requestsPerMinute, int requestsPerHour, int tokensPerMinute,
                      boolean failFast, Duration maxWait) {
        this.store = store;
        this.perMinute = requestsPerMinute > 0 ? new Bucket(scope + ":rpm", requestsPerMinute, Duration.ofMinutes(1)) : null;
        this.perHour = requestsPerHour > 0 ? new Bucket(scope + ":rph", requestsPerHour, Duration.ofHours(1)) : null;
        this.tokensPerMinute = tokensPerMinute > 0 ? new Bucket(scope + ":tpm", tokensPerMinute, Duration.ofMinutes(1)) : null;
        List<Bucket> list = new ArrayList<>(3);
        for (Bucket b : new Bucket[] {perMinute, perHour, this.tokensPerMinute}) {
            if (b != null) {
                list.add(b);
            }
        }
        this.all = List.copyOf(list);
        this.failFast = failFast;
        this.maxWait = maxWait;
    }

    public boolean enabled() {
        return !all.isEmpty();
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
     * that is shorter than maxWait. The wait parks the calling thread: a virtual thread on JDK 21+. A shared
     * store that does not answer in time refuses the call (fail-closed) with OVERLOADED, never retried.
     */
    public Duration acquire(long estimatedTokens, String provider, String model, Duration timeLeft) {
        long start = System.nanoTime();
        long allowed = failFast ? 0 : maxWait.toNanos();
        if (timeLeft != null && timeLeft.toNanos() < allowed) {
            allowed = timeLeft.toNanos();
        }
        long deadline = start + allowed;
        long[] amounts = amounts(1, estimatedTokens);
        while (true) {
            Duration wait;
            try {
                wait = store.tryTake(all, amounts, timeLeft == null ? null
                        : timeLeft.minusNanos(System.nanoTime() - start));
            } catch (StateStoreUnavailableException e) {
                throw new LocalLimitException(ErrorKind.OVERLOADED, provider, model, e.getMessage());
            }
            if (wait.isZero()) {
                return Duration.ofNanos(System.nanoTime() - start);
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
        if (tokensPerMinute != null && actualTokens >= 0 && actualTokens != estimatedTokens) {
            store.adjust(List.of(tokensPerMinute), new long[] {actualTokens - estimatedTokens});
        }
    }

    /** Gives back what {@link #acquire} took, for a call that was refused before it reached the upstream. */
    public void refund(long estimatedTokens) {
        if (enabled()) {
            store.adjust(all, amounts(-1, -estimatedTokens));
        }
    }

    /** Tokens left in the tokens-per-minute bucket (for tests and the dev console); -1 when unlimited. */
    public double tokensAvailable() {
        return tokensPerMinute == null ? -1 : store.available(tokensPerMinute);
    }

    private long[] amounts(long request, long tokens) {
        long[] amounts = new long[all.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = all.get(i) == tokensPerMinute ? tokens : request;
        }
        return amounts;
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
        return String.join(", ", parts) + (store.shared() ? " shared in " + store.description() : "");
    }
}
