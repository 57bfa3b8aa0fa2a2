package dev.camelllm.resilience;

import java.time.Duration;

import dev.camelllm.state.StateStore;

/**
 * What the endpoints of one resilience group share, and so must agree on: request and token limits, how a
 * call waits for them, the concurrency cap and the circuit breaker. Settings that cannot take effect are
 * normalised away (a wait without a limit, a wait in fail mode), so that only differences that matter
 * make two endpoints disagree.
 *
 * @param requestsPerMinute 0 for none
 * @param requestsPerHour   0 for none
 * @param tokensPerMinute   0 for none
 * @param failFast          at a rate limit: fail at once instead of waiting
 * @param maxWait           longest wait for rate-limit capacity
 * @param maxConcurrent     0 for no cap
 * @param maxConcurrentWait longest wait for a free concurrency slot
 * @param breaker           null for no circuit breaker
 */
public record GroupSettings(int requestsPerMinute, int requestsPerHour, int tokensPerMinute, boolean failFast,
                            Duration maxWait, int maxConcurrent, Duration maxConcurrentWait, Breaker breaker) {

    /** Nothing limited, no breaker. */
    public static final GroupSettings NONE = new GroupSettings(0, 0, 0, false, Duration.ZERO, 0, Duration.ZERO, null);

    public GroupSettings {
        boolean limited = requestsPerMinute > 0 || requestsPerHour > 0 || tokensPerMinute > 0;
        if (!limited) {
            failFast = false;
        }
        if (!limited || failFast || maxWait == null) {
            maxWait = Duration.ZERO;
        }
        if (maxConcurrent <= 0 || maxConcurrentWait == null) {
            maxConcurrentWait = Duration.ZERO;
        }
        requestsPerMinute = Math.max(0, requestsPerMinute);
        requestsPerHour = Math.max(0, requestsPerHour);
        tokensPerMinute = Math.max(0, tokensPerMinute);
        maxConcurrent = Math.max(0, maxConcurrent);
    }

    /** Opens at failureRatePercent once minimumCalls were seen; stays open for openDuration. */
    public record Breaker(float failureRatePercent, int minimumCalls, Duration openDuration) {
    }

    RateLimits rateLimits(StateStore store, String scope) {
        return new RateLimits(store, scope, requestsPerMinute, requestsPerHour, tokensPerMinute, failFast, maxWait);
    }
}
