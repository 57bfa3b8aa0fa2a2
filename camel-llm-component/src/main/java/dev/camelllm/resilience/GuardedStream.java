package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.api.Usage;
import dev.camelllm.execution.Call;
import dev.camelllm.spi.ChatStream;

/**
 * One attempt's stream: holds the group permit until the stream ends, reports the outcome to the
 * breaker and the token limit, and closes the stream when no output came within the first-token
 * timeout (the read that was waiting then fails as a timeout).
 */
final class GuardedStream implements ChatStream {

    private final ChatStream inner;
    private final ResilienceGroup.Permit permit;
    private final String provider;
    private final String model;
    private final Duration firstTokenTimeout;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean firstOutput;
    private volatile boolean firstTokenExpired;
    private Usage usage = Usage.EMPTY;
    /** The prompt's estimated tokens and the characters of output so far: the charge of a stream without usage. */
    private final long inputEstimate;
    private long outputChars;
    private boolean ended;

    GuardedStream(ChatStream inner, ResilienceGroup.Permit permit, long inputEstimate, Duration firstTokenTimeout, Call call,
                  ScheduledExecutorService scheduler, String provider, String model) {
        this.inner = inner;
        this.permit = permit;
        this.inputEstimate = inputEstimate;
        this.provider = provider;
        this.model = model;
        this.call = call;
        // the first output must also come within the call's deadline
        Duration left = call.timeLeft();
        this.deadlineBound = firstTokenTimeout == null || firstTokenTimeout.isZero() || left.compareTo(firstTokenTimeout) < 0;
        this.firstTokenTimeout = deadlineBound ? left : firstTokenTimeout;
        this.watchdog = scheduler.schedule(this::expireFirstToken, Math.max(1, this.firstTokenTimeout.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private final Call call;
    /** Whether the first-output wait ends at the call's deadline rather than at firstTokenTimeout. */
    private final boolean deadlineBound;

    private LlmTimeoutException firstTokenError(Throwable cause) {
        return deadlineBound ? call.deadlinePassed(provider, model, cause)
                : new LlmTimeoutException(provider, model, "no first token within " + firstTokenTimeout.toMillis()
                        + " ms (firstTokenTimeout)", cause);
    }

    /** Guards firstOutput against the watchdog: a chunk handed on as output is never followed by the watchdog's close. */
    private final Object firstOutputLock = new Object();

    private void expireFirstToken() {
        synchronized (firstOutputLock) {
            if (!firstOutput) {
                firstTokenExpired = true;
                inner.close();
            }
        }
    }

    @Override
    public boolean hasNext() {
        try {
            boolean more = inner.hasNext();
            if (!more && !ended) {
                ended = true;
                cancelWatchdog();
                // a stream that reported no usage is charged by its text, never for free
                permit.success(usage.totalTokens() > 0 ? usage.totalTokens()
                        : inputEstimate + TokenEstimate.ofChars(outputChars));
            }
            return more;
        } catch (RuntimeException e) {
            RuntimeException error = firstTokenExpired && !firstOutput ? firstTokenError(e)
                    // a cancel aborts the upstream, and the read then fails on the closed socket: that is the cancel
                    : call.isCancelled() && !(e instanceof LlmException l && l.kind() == ErrorKind.CANCELLED)
                    ? new LlmException(ErrorKind.CANCELLED, provider, model, "call cancelled: " + call.reason(), e)
                    : e;
            fail(error);
            throw error;
        }
    }

    @Override
    public ChatChunk next() {
        ChatChunk chunk;
        // next() after hasNext() only hands over a chunk already read, so holding the lock here is short
        synchronized (firstOutputLock) {
            if (firstTokenExpired) {
                throw firstTokenError(null);
            }
            chunk = inner.next();
            if (!firstOutput && chunk.isOutput()) {
                firstOutput = true;
            }
        }
        if (firstOutput) {
            cancelWatchdog();
        }
        if (chunk instanceof ChatChunk.UsageUpdate u) {
            usage = usage.merge(u.usage());
        } else if (chunk instanceof ChatChunk.TextDelta t) {
            outputChars += t.text().length();
        } else if (chunk instanceof ChatChunk.ThinkingDelta t) {
            outputChars += t.text().length();
        } else if (chunk instanceof ChatChunk.ToolCallComplete c) {
            outputChars += c.call().name().length() + c.call().arguments().length();
        }
        return chunk;
    }

    private void fail(Throwable error) {
        ended = true;
        cancelWatchdog();
        inner.close();
        permit.failure(error);
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    @Override
    public void close() {
        if (!ended) {
            fail(new LlmException(ErrorKind.CANCELLED, provider, model, "stream closed by the consumer"));
        }
        inner.close();
    }
}
