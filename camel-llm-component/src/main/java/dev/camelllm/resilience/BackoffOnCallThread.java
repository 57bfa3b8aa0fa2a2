package dev.camelllm.resilience;

import java.time.Duration;

import dev.camelllm.api.LlmException;

/**
 * Not an error: the resilience layer's word that a retry needs a backoff and the thread it runs on must not
 * wait (a platform caller's thread, see {@link ResilientProvider#embedOnCaller}). The caller goes on on a
 * call thread with {@link ResilientProvider#resumeEmbed}, which waits what is left of the backoff and makes
 * the attempts left. It carries the retry's number and its backoff, so the count and the wait stay as
 * decided; the failure that asked for the retry is its cause.
 */
public final class BackoffOnCallThread extends RuntimeException {

    private final int retry;
    private final Duration delay;
    private final long decidedNanos = System.nanoTime();

    BackoffOnCallThread(int retry, Duration delay, LlmException failure) {
        // control flow, thrown once per moved call: no stack trace to fill
        super("retry " + retry + " waits " + delay.toMillis() + " ms on a call thread", failure, false, false);
        this.retry = retry;
        this.delay = delay;
    }

    /** The number of the retry that follows the backoff (1 for the first retry). */
    public int retry() {
        return retry;
    }

    /** The whole backoff, as decided. */
    public Duration delay() {
        return delay;
    }

    /** When the backoff began: the hand-off to the call thread counts towards it. */
    long decidedNanos() {
        return decidedNanos;
    }

    @Override
    public synchronized LlmException getCause() {
        return (LlmException) super.getCause();
    }
}
