package dev.camelllm.component;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.observability.LlmMetrics;

/**
 * A profile cache's writes to the shared state store, sent and not waited for, so that storing an answer never
 * delays it. Bounded: at most {@link #MAX_IN_FLIGHT} writes in flight (more are skipped, counted as
 * {@link LlmMetrics#BUSY}), each bounded by the store's timeout. A failed write is counted
 * ({@link LlmMetrics#UNAVAILABLE}); the first of a run of failures is logged at WARN, the rest at DEBUG until a
 * write succeeds again.
 */
final class CacheWrites {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWrites.class);
    /** Writes of one profile's cache in flight at once; a slow store then costs skipped writes, not memory. */
    static final int MAX_IN_FLIGHT = 256;

    private final String profile;
    private final String cache;
    private final LlmMetrics metrics;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicBoolean failing = new AtomicBoolean();

    CacheWrites(String profile, String cache, LlmMetrics metrics) {
        this.profile = profile;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Sends the write; returns at once. */
    void send(Supplier<CompletionStage<Void>> write) {
        if (!inFlight.tryAcquire()) {
            metrics.cacheFailed(profile, cache, LlmMetrics.PUT, LlmMetrics.BUSY);
            return;
        }
        CompletionStage<Void> stage;
        try {
            stage = write.get();
        } catch (RuntimeException e) {
            inFlight.release();
            failed(e);
            return;
        }
        stage.whenComplete((r, e) -> {
            inFlight.release();
            if (e == null) {
                if (failing.compareAndSet(true, false)) {
                    LOG.info("The {} cache of profile '{}' writes to the state store again", cache, profile);
                }
            } else {
                failed(e);
            }
        });
    }

    private void failed(Throwable e) {
        metrics.cacheFailed(profile, cache, LlmMetrics.PUT, LlmMetrics.UNAVAILABLE);
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (failing.compareAndSet(false, true)) {
            LOG.warn("The {} cache of profile '{}' could not write an answer to the state store (not cached; "
                    + "further failures are logged at DEBUG until a write succeeds): {}", cache, profile, cause.getMessage());
        } else {
            LOG.debug("The {} cache of profile '{}': answer not cached: {}", cache, profile, cause.getMessage());
        }
    }
}
