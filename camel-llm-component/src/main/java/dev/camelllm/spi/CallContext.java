package dev.camelllm.spi;

import java.time.Duration;

/**
 * What a provider knows about the call it serves: how much time the attempt may still take (the smaller of
 * the endpoint's timeout and what is left of the exchange's deadline) and whether the call was cancelled
 * (the client left, the route or the context stops, the deadline passed). A provider bounds every wait by
 * {@link #timeLeft()} and registers what frees its resources (abort the HTTP request, stop a generation)
 * with {@link #onCancel(Runnable)}.
 */
public interface CallContext {

    /** The time this attempt may still take; zero when it is up. */
    Duration timeLeft();

    /** Whether the call was cancelled. */
    boolean isCancelled();

    /**
     * Runs {@code action} once when the call is cancelled, at once when it already is. Close the returned
     * registration when the resource is released normally, so that a later cancel does not touch it.
     */
    Registration onCancel(Runnable action);

    /** Removes a cancel action; idempotent. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** A call with a fixed time budget that is never cancelled: for health probes and tests. */
    static CallContext of(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        return new CallContext() {
            @Override
            public Duration timeLeft() {
                return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Registration onCancel(Runnable action) {
                return () -> { };
            }
        };
    }
}
