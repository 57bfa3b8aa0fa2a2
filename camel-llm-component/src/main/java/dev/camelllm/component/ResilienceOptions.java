package dev.camelllm.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.camelllm.resilience.GroupSettings;
import dev.camelllm.resilience.RetryPolicy;

/**
 * Maps an endpoint's options (after environment defaults) to the resilience package's own types, so that
 * the resilience package knows nothing of {@link LlmConfiguration}; and names the options again when two
 * endpoints of a group disagree.
 */
final class ResilienceOptions {

    private ResilienceOptions() {
    }

    static RetryPolicy retryPolicy(LlmConfiguration c) {
        return new RetryPolicy(c.getMaxRetries(), Duration.ofMillis(c.getRetryInitialDelay()), c.getRetryMultiplier(),
                Duration.ofMillis(c.getRetryMaxDelay()), c.getRetryJitter(), Duration.ofMillis(c.getMaxRetryAfter()));
    }

    static Duration firstTokenTimeout(LlmConfiguration c) {
        return Duration.ofMillis(c.getFirstTokenTimeout());
    }

    static GroupSettings groupSettings(LlmConfiguration c) {
        GroupSettings.Breaker breaker = c.isCircuitBreaker()
                ? new GroupSettings.Breaker(c.getCircuitBreakerFailureRate(), c.getCircuitBreakerMinimumCalls(),
                        Duration.ofMillis(c.getCircuitBreakerOpenDuration()))
                : null;
        return new GroupSettings(c.getRateLimitPerMinute(), c.getRateLimitPerHour(), c.getTokensPerMinute(),
                "fail".equals(c.getRateLimitMode()), Duration.ofMillis(c.getRateLimitMaxWait()),
                c.getMaxConcurrentRequests(), Duration.ofMillis(c.getMaxConcurrentWait()), breaker);
    }

    /**
     * The options in which two group settings differ, each as {@code option: a vs b}, in option order. A
     * wait is compared only where both sides have the limit it waits for, so that one missing limit is
     * reported once, not again through its normalised wait.
     */
    static List<String> differences(GroupSettings a, GroupSettings b) {
        List<String> out = new ArrayList<>();
        diff(out, "rateLimitPerMinute", a.requestsPerMinute(), b.requestsPerMinute());
        diff(out, "rateLimitPerHour", a.requestsPerHour(), b.requestsPerHour());
        diff(out, "tokensPerMinute", a.tokensPerMinute(), b.tokensPerMinute());
        if (rateLimited(a) && rateLimited(b)) {
            diff(out, "rateLimitMode", a.failFast() ? "fail" : "wait", b.failFast() ? "fail" : "wait");
            if (!a.failFast() && !b.failFast()) {
                diff(out, "rateLimitMaxWait", a.maxWait().toMillis(), b.maxWait().toMillis());
            }
        }
        diff(out, "maxConcurrentRequests", a.maxConcurrent(), b.maxConcurrent());
        if (a.maxConcurrent() > 0 && b.maxConcurrent() > 0) {
            diff(out, "maxConcurrentWait", a.maxConcurrentWait().toMillis(), b.maxConcurrentWait().toMillis());
        }
        GroupSettings.Breaker x = a.breaker();
        GroupSettings.Breaker y = b.breaker();
        diff(out, "circuitBreaker", x != null, y != null);
        if (x != null && y != null) {
            diff(out, "circuitBreakerFailureRate", x.failureRatePercent(), y.failureRatePercent());
            diff(out, "circuitBreakerMinimumCalls", x.minimumCalls(), y.minimumCalls());
            diff(out, "circuitBreakerOpenDuration", x.openDuration().toMillis(), y.openDuration().toMillis());
        }
        return out;
    }

    private static boolean rateLimited(GroupSettings s) {
        return s.requestsPerMinute() > 0 || s.requestsPerHour() > 0 || s.tokensPerMinute() > 0;
    }

    private static void diff(List<String> out, String option, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(option + ": " + a + " vs " + b);
        }
    }
}
