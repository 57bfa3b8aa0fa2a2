package dev.camelllm.resilience;

import java.time.Duration;

import dev.camelllm.component.LlmConfiguration;

/** Builds the retry policy and a group's limits from an endpoint's options (after environment defaults). */
public final class ResilienceSettings {

    private ResilienceSettings() {
    }

    public static RetryPolicy retryPolicy(LlmConfiguration c) {
        return new RetryPolicy(c.getMaxRetries(), Duration.ofMillis(c.getRetryInitialDelay()), c.getRetryMultiplier(),
                Duration.ofMillis(c.getRetryMaxDelay()), c.getRetryJitter(), Duration.ofMillis(c.getMaxRetryAfter()));
    }

    public static ResilienceGroup group(String name, LlmConfiguration c) {
        RateLimits limits = new RateLimits(c.getRateLimitPerMinute(), c.getRateLimitPerHour(), c.getTokensPerMinute(),
                "fail".equals(c.getRateLimitMode()), Duration.ofMillis(c.getRateLimitMaxWait()));
        ResilienceGroup.BreakerSettings breaker = c.isCircuitBreaker()
                ? new ResilienceGroup.BreakerSettings(c.getCircuitBreakerFailureRate(), c.getCircuitBreakerMinimumCalls(),
                        Duration.ofMillis(c.getCircuitBreakerOpenDuration()))
                : null;
        return new ResilienceGroup(name, limits, c.getMaxConcurrentRequests(), Duration.ofMillis(c.getMaxConcurrentWait()),
                breaker);
    }

    public static Duration firstTokenTimeout(LlmConfiguration c) {
        return Duration.ofMillis(c.getFirstTokenTimeout());
    }
}
