package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.state.MemoryStateStore;
import dev.camelllm.state.Lease;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStoreUnavailableException;

/**
 * What the endpoints of one group (by default: one provider at one base URL with one key) share: rate
 * limits, the cap on concurrent requests and an optional circuit breaker (Resilience4j) that counts only
 * provider failures, never per-request errors. The cap is a fair {@link Semaphore} rather than Resilience4j's
 * bulkhead because a call's wait for a slot must also end at the call's deadline, and the bulkhead takes its
 * wait from its configuration only. With a shared state store the rate limits and the cap are shared by every
 * instance (the cap as leases that expire when an instance dies); the breaker stays this instance's own.
 */
public final class ResilienceGroup {

    private final String name;
    private final GroupSettings settings;
    private final RateLimits rateLimits;
    /** The cap on concurrent requests, or null. */
    private final Semaphore concurrency;
    private final CircuitBreaker breaker;
    /** Where the rate limits live; when it is shared, the concurrency cap is leases there too. */
    private final StateStore store;
    private final boolean sharedCap;
    private final AtomicInteger sharedHeld = new AtomicInteger();
    private volatile LimitListener listener = LimitListener.NONE;

    /** A group whose limits live in this process's memory. */
    public ResilienceGroup(String name, GroupSettings settings) {
        this(name, settings, new MemoryStateStore());
    }

    /** A group whose rate limits live in {@code store} (shared by every instance when it is Redis). */
    public ResilienceGroup(String name, GroupSettings settings, StateStore store) {
        this.name = name;
        this.settings = settings;
        this.rateLimits = settings.rateLimits(store, "group:" + name);
        this.store = store;
        this.sharedCap = store.shared() && settings.maxConcurrent() > 0;
        this.concurrency = settings.maxConcurrent() > 0 && !store.shared()
                ? new Semaphore(settings.maxConcurrent(), true) : null;
        GroupSettings.Breaker b = settings.breaker();
        this.breaker = b == null ? null : CircuitBreaker.of("llm-" + name, CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRatePercent())
                .minimumNumberOfCalls(b.minimumCalls())
                .slidingWindowSize(Math.max(b.minimumCalls(), 10))
                .waitDurationInOpenState(b.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(Failures::isProviderFailure)
                .ignoreException(t -> !Failures.isProviderFailure(t))
                .build());
    }

    public String name() {
        return name;
    }

    /** The settings every endpoint of this group agreed on. */
    public GroupSettings settings() {
        return settings;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** The breaker, or null when none is configured. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Free slots under maxConcurrentRequests; -1 when there is no cap. */
    public int concurrencyAvailable() {
        if (sharedCap) {
            return settings.maxConcurrent() - sharedHeld.get(); // this instance's view of a shared cap
        }
        return concurrency == null ? -1 : concurrency.availablePermits();
    }

    /**
     * Whether an attempt entered now might wait: the group has rate limits (which may wait for capacity), or
     * its concurrency cap has no free slot at the moment. A hint for choosing the thread that runs a call.
     */
    public boolean mayWait() {
        return rateLimits.enabled() || settings.maxConcurrent() > 0 && concurrencyAvailable() <= 0;
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
        Lease lease = null;
        if (settings.maxConcurrent() > 0) {
            Duration wait = settings.maxConcurrentWait();
            boolean deadlineBound = timeLeft != null && timeLeft.compareTo(wait) < 0;
            if (deadlineBound) {
                wait = timeLeft;
            }
            boolean got;
            if (sharedCap) {
                lease = acquireSharedSlot(wait, timeLeft, estimatedTokens, provider, model);
                got = lease != null;
            } else {
                got = acquireSlot(wait, estimatedTokens, provider, model);
            }
            if (!got) {
                // refused here, the call never reaches the upstream: it must not use up the rate limits
                rateLimits.refund(estimatedTokens);
                listener.rejected(name, LimitListener.CONCURRENCY);
                throw new LocalLimitException(ErrorKind.RATE_LIMIT, provider, model, "more than "
                        + settings.maxConcurrent() + " concurrent requests (maxConcurrentRequests) for " + wait.toMillis()
                        + " ms" + (deadlineBound ? " (what was left of the deadline)" : " (maxConcurrentWait)"));
            }
        }
        if (breaker != null && !breaker.tryAcquirePermission()) {
            releaseSlot(lease);
            rateLimits.refund(estimatedTokens);
            listener.rejected(name, LimitListener.CIRCUIT_BREAKER);
            throw new LocalLimitException(ErrorKind.PROVIDER, provider, model, "circuit breaker '" + name + "' is "
                    + breaker.getState() + ": not calling the provider");
        }
        return new Permit(estimatedTokens, lease);
    }

    /**
     * A slot of a cap shared by every instance: a lease in the state store, asked for again (parking the thread
     * a little longer each time, up to 50 ms) until the wait ends; null when none came in time. Not fair across
     * instances, unlike the local semaphore.
     */
    private Lease acquireSharedSlot(Duration wait, Duration timeLeft, long estimatedTokens, String provider,
                                    String model) {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long pause = 5;
        while (true) {
            Lease lease;
            try {
                // each ask is bounded by the call's deadline (and the store's timeout), not by the wait for a slot
                lease = store.tryLease("group:" + name + ":concurrent", settings.maxConcurrent(),
                        timeLeft == null ? null : timeLeft.minusNanos(System.nanoTime() - start));
            } catch (StateStoreUnavailableException e) {
                rateLimits.refund(estimatedTokens);
                throw new LocalLimitException(ErrorKind.OVERLOADED, provider, model, e.getMessage());
            }
            if (lease != null) {
                sharedHeld.incrementAndGet();
                return lease;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            try {
                Thread.sleep(Math.min(pause, left)); // parks a virtual thread; bounded by the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                rateLimits.refund(estimatedTokens);
                throw new LocalLimitException(ErrorKind.CANCELLED, provider, model,
                        "cancelled while waiting for a concurrency slot (maxConcurrentRequests)");
            }
            pause = Math.min(50, pause * 2);
        }
    }

    private void releaseSlot(Lease lease) {
        if (lease != null) {
            sharedHeld.decrementAndGet();
            lease.release();
        } else if (concurrency != null) {
            concurrency.release();
        }
    }

    /**
     * Waits for a slot (parks the thread: a virtual thread on JDK 21+); false when none came in time. An
     * interrupt (the call was cancelled) ends the wait with a CANCELLED error.
     */
    private boolean acquireSlot(Duration wait, long estimatedTokens, String provider, String model) {
        try {
            return concurrency.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rateLimits.refund(estimatedTokens);
            throw new LocalLimitException(ErrorKind.CANCELLED, provider, model,
                    "cancelled while waiting for a concurrency slot (maxConcurrentRequests)");
        }
    }

    /** One attempt's hold on the group. */
    public final class Permit {
        private final long estimatedTokens;
        private final Lease lease;
        private final long start = System.nanoTime();
        private boolean closed;

        private Permit(long estimatedTokens, Lease lease) {
            this.estimatedTokens = estimatedTokens;
            this.lease = lease;
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
            releaseSlot(lease);
        }
    }
}
