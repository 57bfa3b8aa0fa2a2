package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/**
 * When to retry and how long to wait: exponential backoff with jitter, or the upstream's retry-after
 * (capped) when it sent one. Only retryable kinds are retried (RELIABILITY.md's failure classes):
 * never a per-request error, a quota, context-window or content-policy error, nor our own local limits.
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, double multiplier, Duration maxDelay, double jitter,
                          Duration maxRetryAfter) {

    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO, 0.0, Duration.ZERO);

    public boolean shouldRetry(LlmException e, int retriesDone) {
        return retriesDone < maxRetries && e.retryable() && !(e instanceof LocalLimitException)
                && e.kind() != ErrorKind.CANCELLED && e.kind() != ErrorKind.OVERLOADED;
    }

    /**
     * The wait before retry number {@code retry} (1-based): the retry-after the upstream asked for, capped
     * at maxRetryAfter, else initialDelay * multiplier^(retry-1) capped at maxDelay, spread by ±jitter.
     */
    public Duration delayBefore(int retry, LlmException e) {
        if (e.retryAfter() != null) {
            Duration asked = e.retryAfter();
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        }
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        base = Math.min(base, maxDelay.toMillis());
        double spread = base * jitter;
        double withJitter = base + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofMillis(Math.max(0, Math.round(Math.min(withJitter, maxDelay.toMillis()))));
    }
}
