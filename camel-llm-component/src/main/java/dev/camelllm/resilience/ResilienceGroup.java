package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/**
 * What the endpoints of one group (by default: one provider) share: rate limits, the cap on concurrent
 * requests (a Resilience4j semaphore bulkhead) and an optional circuit breaker (Resilience4j) that counts
 * only provider failures, never per-request errors.
 */
public final class ResilienceGroup {

    private final String name;
    private final RateLimits rateLimits;
    private final Bulkhead bulkhead;
    private final CircuitBreaker breaker;
    private volatile LimitListener listener = LimitListener.NONE;

    public ResilienceGroup(String name, RateLimits rateLimits, int maxConcurrent, Duration maxConcurrentWait,
                           BreakerSettings breakerSettings) {
        this.name = name;
        this.rateLimits = rateLimits;
        this.bulkhead = maxConcurrent > 0 ? Bulkhead.of("llm-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(maxConcurrentWait)
                .build()) : null;
        this.breaker = breakerSettings == null ? null : CircuitBreaker.of("llm-" + name, CircuitBreakerConfig.custom()
                .failureRateThreshold(breakerSettings.failureRatePercent())
                .minimumNumberOfCalls(breakerSettings.minimumCalls())
                .slidingWindowSize(Math.max(breakerSettings.minimumCalls(), 10))
                .waitDurationInOpenState(breakerSettings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(Failures::isProviderFailure)
                .ignoreException(t -> !Failures.isProviderFailure(t))
                .build());
    }

    /** Breaker settings; null settings mean no breaker. */
    public record BreakerSettings(float failureRatePercent, int minimumCalls, Duration openDuration) {
    }

    public String name() {
        return name;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** The breaker, or null when none is configured. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** Who hears about waits and refusals of this group's limits (metrics). */
    public void setListener(LimitListener listener) {
        this.listener = listener == null ? LimitListener.NONE : listener;
    }

    /**
     * Takes what one attempt needs: rate-limit capacity, a concurrency slot, a breaker permission. The
     * returned permit must be closed exactly once when the attempt ends (for a stream: when it closes).
     */
    public Permit enter(long estimatedTokens, String provider, String model) {
        return enter(estimatedTokens, provider, model, null);
    }

    /** As {@link #enter(long, String, String)}, the rate-limit wait bounded by the call's time left too. */
    public Permit enter(long estimatedTokens, String provider, String model, Duration timeLeft) {
        if (rateLimits.enabled()) {
            Duration waited;
            try {
                waited = rateLimits.acquire(estimatedTokens, provider, model, timeLeft);
            } catch (LocalLimitException e) {
                if (e.kind() == ErrorKind.RATE_LIMIT) {
                    listener.rejected(name, LimitListener.RATE_LIMIT);
                }
                throw e;
            }
            if (!waited.isZero()) {
                listener.waited(name, waited);
            }
        }
        if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
            // refused here, the call never reaches the upstream: it must not use up the rate limits
            rateLimits.refund(estimatedTokens);
            listener.rejected(name, LimitListener.CONCURRENCY);
            throw new LocalLimitException(ErrorKind.RATE_LIMIT, provider, model, "more than "
                    + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " concurrent requests (maxConcurrentRequests) for "
                    + bulkhead.getBulkheadConfig().getMaxWaitDuration().toMillis() + " ms");
        }
        if (breaker != null && !breaker.tryAcquirePermission()) {
            if (bulkhead != null) {
                bulkhead.onComplete();
            }
            rateLimits.refund(estimatedTokens);
            listener.rejected(name, LimitListener.CIRCUIT_BREAKER);
            throw new LocalLimitException(ErrorKind.PROVIDER, provider, model, "circuit breaker '" + name + "' is "
                    + breaker.getState() + ": not calling the provider");
        }
        return new Permit(estimatedTokens);
    }

    /** One attempt's hold on the group. */
    public final class Permit {
        private final long estimatedTokens;
        private final long start = System.nanoTime();
        private boolean closed;

        private Permit(long estimatedTokens) {
            this.estimatedTokens = estimatedTokens;
        }

        /** The attempt succeeded; actualTokens corrects the token limit (-1 when unknown). */
        public synchronized void success(long actualTokens) {
            if (closed) {
                return;
            }
            closed = true;
            if (breaker != null) {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            rateLimits.settle(estimatedTokens, actualTokens);
            release();
        }

        /** The attempt failed; the breaker decides whether the failure counts. */
        public synchronized void failure(Throwable error) {
            if (closed) {
                return;
            }
            closed = true;
            if (breaker != null) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
            }
            if (error instanceof LlmException e && e.statusCode() > 0) {
                // an error status: the upstream generated nothing, so the estimated tokens are given back
                rateLimits.settle(estimatedTokens, 0);
            }
            release();
        }

        private void release() {
            if (bulkhead != null) {
                bulkhead.onComplete();
            }
        }
    }
}
