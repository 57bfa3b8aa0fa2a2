package dev.camelllm.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.spi.CallContext;

/**
 * One exchange's call through an llm: endpoint, over all its attempts, waits and fallbacks: its one
 * deadline, its cancel signal, and a ledger of what used the time, so that a passed deadline can say so.
 */
public final class Call extends Cancellation implements CallContext {

    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final long deadlineMillis;
    /** What used the time, as (label, nanos) pairs: made into text only when a timeout message needs it. */
    private final List<Object> ledger = new ArrayList<>(4);
    private final List<InFlightLimit> places = new ArrayList<>(2);
    private final java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
    private volatile AttemptObserver attempts = AttemptObserver.NONE;

    /** @param deadline the whole call's time; must be positive */
    public Call(Duration deadline) {
        this.deadlineMillis = deadline.toMillis();
        this.deadlineNanos = startNanos + deadline.toNanos();
    }

    /** Who is told of each attempt (tracing); none by default. */
    public void observeAttempts(AttemptObserver observer) {
        this.attempts = observer == null ? AttemptObserver.NONE : observer;
    }

    public AttemptObserver attempts() {
        return attempts;
    }

    @Override
    public Duration timeLeft() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** The smaller of a limit and the time left. */
    public Duration within(Duration limit) {
        Duration left = timeLeft();
        return limit == null || limit.isZero() || limit.compareTo(left) > 0 ? left : limit;
    }

    public boolean expired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    public long deadlineMillis() {
        return deadlineMillis;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Notes what a span of the call's time went to, e.g. "attempt 1 on openai: 1200 ms". */
    public void spent(String what, long nanos) {
        synchronized (ledger) {
            ledger.add(what);
            ledger.add(nanos);
        }
    }

    /**
     * The same with a label built only if a timeout message asks for it (most calls end in time). The
     * supplier must capture values, not state that changes later.
     */
    public void spent(java.util.function.Supplier<String> what, long nanos) {
        synchronized (ledger) {
            ledger.add(what);
            ledger.add(nanos);
        }
    }

    /** What used the time so far, for a timeout message. */
    public String ledger() {
        synchronized (ledger) {
            if (ledger.isEmpty()) {
                return "nothing recorded";
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ledger.size(); i += 2) {
                Object what = ledger.get(i);
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(what instanceof java.util.function.Supplier<?> s ? s.get() : what).append(' ')
                        .append((Long) ledger.get(i + 1) / 1_000_000).append(" ms");
            }
            return sb.toString();
        }
    }

    /** The error for a passed deadline: what used the time, and the option to raise. */
    public LlmTimeoutException deadlinePassed(String provider, String model, Throwable cause) {
        return new LlmTimeoutException(provider, model, String.format(Locale.ROOT,
                "deadline of %d ms passed after %d ms (used by: %s); raise the deadline option or the %s header",
                deadlineMillis, elapsedMillis(), ledger(), "CamelLlmDeadline"), cause);
    }

    /** Throws when the call was cancelled or its deadline passed; else returns. */
    public void check(String provider, String model) {
        if (isCancelled()) {
            throw cancelled(provider, model);
        }
        if (expired()) {
            throw deadlinePassed(provider, model, null);
        }
    }

    public LlmException cancelled(String provider, String model) {
        return new LlmException(ErrorKind.CANCELLED, provider, model, "call cancelled: " + reason());
    }

    /** A place under a cap that this call holds until {@link Calls#finish}. */
    void holds(InFlightLimit limit) {
        synchronized (places) {
            places.add(limit);
        }
    }

    /** Takes a place under one more cap (a fallback profile's); false when it is full. */
    public boolean tryHold(InFlightLimit limit) {
        if (!limit.tryAcquire()) {
            return false;
        }
        holds(limit);
        return true;
    }

    void releasePlaces() {
        synchronized (places) {
            places.forEach(InFlightLimit::release);
            places.clear();
        }
    }

    @Override
    public void cancel(String why) {
        super.cancel(why);
        cancelled.countDown();
    }

    /**
     * Waits (a retry backoff, a rate-limit pause) and wakes early when the call is cancelled: parks the
     * virtual thread; returns false when cancelled.
     */
    public boolean pause(Duration wait) {
        try {
            return !cancelled.await(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
            return false;
        }
    }

    /**
     * Runs a wait that only a thread interrupt can end early (a rate-limit pause, a wait for a concurrency
     * slot) so that a cancel of this call interrupts it. The interrupt can reach the thread only while the
     * wait runs (a pooled thread must not carry it on to its next task), and one sent by this call's cancel
     * is cleared before returning.
     */
    public <T> T wakeOnCancel(Supplier<T> wait) {
        Thread waiter = Thread.currentThread();
        boolean[] waiting = {true};
        CallContext.Registration wake = onCancel(() -> {
            synchronized (waiting) {
                if (waiting[0]) {
                    waiter.interrupt();
                }
            }
        });
        try {
            return wait.get();
        } finally {
            synchronized (waiting) {
                waiting[0] = false;
            }
            wake.close();
            if (isCancelled()) {
                Thread.interrupted();
            }
        }
    }

    /** A view for one attempt: the time left is also bounded by the attempt's own timeout. */
    public CallContext attempt(Duration attemptTimeout) {
        long end = attemptTimeout == null || attemptTimeout.isZero() ? Long.MAX_VALUE
                : System.nanoTime() + attemptTimeout.toNanos();
        Call call = this;
        return new CallContext() {
            @Override
            public Duration timeLeft() {
                Duration left = call.timeLeft();
                if (end == Long.MAX_VALUE) {
                    return left;
                }
                Duration own = Duration.ofNanos(Math.max(0, end - System.nanoTime()));
                return own.compareTo(left) < 0 ? own : left;
            }

            @Override
            public boolean isCancelled() {
                return call.isCancelled();
            }

            @Override
            public Registration onCancel(Runnable action) {
                return call.onCancel(action);
            }
        };
    }
}
