package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.LlmException;
import dev.camelllm.execution.AttemptObserver;
import dev.camelllm.execution.Call;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;

/**
 * Wraps a provider with retries (backoff with jitter, retry-after honoured), the group's rate limits,
 * concurrency cap and circuit breaker, and the first-token timeout of streams, all inside the call's one
 * deadline: each attempt gets the time that is left, a wait that would pass the deadline is not begun,
 * and a passed deadline says what used the time. Written as a plain loop rather than a Resilience4j Retry
 * because a stream may only be retried until its first output reached the route, and the wait depends on
 * each error's retry-after. Waits park the call's thread (a virtual thread on JDK 21+) and end early when
 * the call is cancelled.
 */
public final class ResilientProvider implements ChatProvider {

    private final ChatProvider delegate;
    private final RetryPolicy retry;
    private final ResilienceGroup group;
    private final Duration firstTokenTimeout;
    private final Duration attemptTimeout;
    private final ScheduledExecutorService scheduler;

    /**
     * @param attemptTimeout bounds one non-streaming attempt (the endpoint's timeout option), besides the deadline
     */
    public ResilientProvider(ChatProvider delegate, RetryPolicy retry, ResilienceGroup group, Duration firstTokenTimeout,
                             Duration attemptTimeout, ScheduledExecutorService scheduler) {
        this.delegate = delegate;
        this.retry = retry;
        this.group = group;
        this.firstTokenTimeout = firstTokenTimeout;
        this.attemptTimeout = attemptTimeout;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String model() {
        return delegate.model();
    }

    public ChatProvider delegate() {
        return delegate;
    }

    public ResilienceGroup group() {
        return group;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, dev.camelllm.spi.CallContext.of(attemptTimeout));
    }

    public ChatResponse chat(ChatRequest request, CallStats stats, Call call) {
        long estimate = estimateTokens(request);
        String model = modelOf(request);
        int retries = 0;
        while (true) {
            call.check(name(), model);
            stats.attempt();
            long start = System.nanoTime();
            AttemptObserver.Attempt traced = call.attempts().begin(retries + 1, name(), model);
            try {
                ResilienceGroup.Permit permit;
                try {
                    permit = enter(estimate, model, call);
                } catch (RuntimeException e) {
                    traced.end(e);
                    throw e;
                }
                long entered = System.nanoTime();
                if (entered - start > 1_000_000) {
                    call.spent("limits wait on " + name(), entered - start);
                }
                try {
                    ChatResponse response = delegate.chat(request, call.attempt(attemptTimeout));
                    permit.success(TokenEstimate.used(TokenEstimate.input(request), response));
                    traced.end(null);
                    return response;
                } catch (RuntimeException e) {
                    permit.failure(e);
                    traced.end(e);
                    throw e;
                } finally {
                    int attempt = stats.attempts();
                    String provider = name();
                    call.spent(() -> "attempt " + attempt + " on " + provider, System.nanoTime() - entered);
                }
            } catch (LlmException e) {
                retries = afterFailure(e, retries, request, call);
            }
        }
    }

    /**
     * One batch of an embedding call (the component splits larger bodies into batches within
     * {@link EmbeddingProvider#maxBatchSize()}), with the same retries, group limits, breaker and deadline as
     * a chat call; the tokens-per-minute limit is charged the inputs' estimate, then the usage reported.
     */
    public EmbeddingResponse embed(EmbeddingRequest request, CallStats stats, Call call) {
        return embed(request, stats, call, 0, true);
    }

    /**
     * The same on a platform caller's thread, which no wait may hold (a local model runs inline there): a
     * retry that needs a backoff throws {@link BackoffOnCallThread} instead of waiting, and
     * {@link #resumeEmbed} goes on on a call thread. A retry without a backoff still runs here.
     */
    public EmbeddingResponse embedOnCaller(EmbeddingRequest request, CallStats stats, Call call) {
        return embed(request, stats, call, 0, false);
    }

    /** Goes on with a batch that {@link #embedOnCaller} handed off: what is left of the backoff, then the attempts left. */
    public EmbeddingResponse resumeEmbed(EmbeddingRequest request, CallStats stats, Call call, BackoffOnCallThread moved) {
        String model = request.model() != null ? request.model() : delegate.model();
        backoff(moved.retry(), moved.delay(), moved.decidedNanos(), model, call);
        return embed(request, stats, call, moved.retry(), true);
    }

    /** @param mayWaitHere false on a thread that must not wait: a backoff is handed off instead */
    private EmbeddingResponse embed(EmbeddingRequest request, CallStats stats, Call call, int retriesDone,
                                    boolean mayWaitHere) {
        if (!(delegate instanceof EmbeddingProvider embedder)) {
            throw new dev.camelllm.api.LlmInvalidRequestException(name(), delegate.model(), "provider " + name()
                    + " cannot embed (it does not implement EmbeddingProvider); embed-capable: openai, openai-compatible, azure-openai, gemini, bedrock, onnx");
        }
        long chars = 0;
        for (String input : request.inputs()) {
            chars += input.length();
        }
        long estimate = TokenEstimate.ofChars(chars);
        String model = request.model() != null ? request.model() : delegate.model();
        int retries = retriesDone;
        while (true) {
            call.check(name(), model);
            stats.attempt();
            AttemptObserver.Attempt traced = call.attempts().begin(retries + 1, name(), model);
            long start = System.nanoTime();
            try {
                ResilienceGroup.Permit permit;
                try {
                    permit = enter(estimate, model, call);
                } catch (RuntimeException e) {
                    traced.end(e);
                    throw e;
                }
                try {
                    EmbeddingResponse response = embedder.embed(request, call.attempt(attemptTimeout));
                    long used = response.usage().inputTokens();
                    permit.success(used > 0 ? used : estimate);
                    traced.end(null);
                    return response;
                } catch (RuntimeException e) {
                    permit.failure(e);
                    traced.end(e);
                    throw e;
                } finally {
                    int attempt = stats.attempts();
                    String provider = name();
                    call.spent(() -> "embedding attempt " + attempt + " on " + provider, System.nanoTime() - start);
                }
            } catch (LlmException e) {
                retries = afterFailure(e, retries, model, call, mayWaitHere);
            }
        }
    }

    /**
     * Decides what follows a failed attempt: the error (cancelled, deadline passed, not retryable) or, after
     * the backoff, the next attempt's retry count.
     */
    int afterFailure(LlmException e, int retries, ChatRequest request, Call call) {
        return afterFailure(e, retries, modelOf(request), call, true);
    }

    private int afterFailure(LlmException e, int retries, String model, Call call, boolean mayWaitHere) {
        if (call.isCancelled()) {
            LlmException cancelled = call.cancelled(name(), model);
            cancelled.addSuppressed(e);
            throw cancelled;
        }
        if (!retry.shouldRetry(e, retries)) {
            if (call.expired()) {
                throw call.deadlinePassed(name(), model, e);
            }
            throw e;
        }
        int next = retries + 1;
        Duration delay = retry.delayBefore(next, e);
        if (delay.compareTo(call.timeLeft()) >= 0) {
            call.spent("(retry " + next + " would wait " + delay.toMillis() + " ms)", 0);
            throw call.deadlinePassed(name(), model, e);
        }
        if (!delay.isZero()) {
            if (!mayWaitHere) {
                throw new BackoffOnCallThread(next, delay, e);
            }
            backoff(next, delay, System.nanoTime(), model, call);
        }
        return next;
    }

    /** Waits until {@code delay} after {@code since}, ending early when the call is cancelled. */
    private void backoff(int number, Duration delay, long since, String model, Call call) {
        Duration left = delay.minusNanos(System.nanoTime() - since);
        boolean notCancelled = left.isNegative() || left.isZero() ? !call.isCancelled() : call.pause(left);
        call.spent("backoff " + number, System.nanoTime() - since);
        if (!notCancelled) {
            throw call.cancelled(name(), model);
        }
    }

    /** A caller outside the producer: its time left becomes the deadline, its cancel cancels the call. */
    @Override
    public ChatResponse chat(ChatRequest request, dev.camelllm.spi.CallContext context) {
        Call call = new Call(context.timeLeft());
        try (dev.camelllm.spi.CallContext.Registration r = context.onCancel(() -> call.cancel("cancelled by the caller"))) {
            return chat(request, new CallStats(), call);
        }
    }

    @Override
    public ChatStream stream(ChatRequest request, dev.camelllm.spi.CallContext context) {
        Call call = new Call(context.timeLeft());
        context.onCancel(() -> call.cancel("cancelled by the caller"));
        return stream(request, new CallStats(), call);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return stream(request, dev.camelllm.spi.CallContext.of(attemptTimeout));
    }

    /** Opens a stream, retrying failures until the first output; the returned stream retries on too. */
    public ChatStream stream(ChatRequest request, CallStats stats, Call call) {
        RetryingStream stream = new RetryingStream(this, request, stats, call);
        stream.open();
        return stream;
    }

    /** One attempt to open a stream, holding the group's permit until the stream ends. */
    GuardedStream openOnce(ChatRequest request, long estimate, Call call) {
        ResilienceGroup.Permit permit = enter(estimate, modelOf(request), call);
        try {
            return new GuardedStream(delegate.stream(request, call.attempt(null)), permit, TokenEstimate.input(request),
                    firstTokenTimeout, call, scheduler, name(), modelOf(request));
        } catch (RuntimeException e) {
            permit.failure(e);
            throw e;
        }
    }

    /** The group's permit for one attempt; a cancel wakes its waits (rate limit, concurrency cap) at once. */
    private ResilienceGroup.Permit enter(long estimate, String model, Call call) {
        return call.wakeOnCancel(() -> group.enter(estimate, name(), model, call.timeLeft()));
    }

    String modelOf(ChatRequest request) {
        return request.model() != null ? request.model() : delegate.model();
    }

    /**
     * A cheap token estimate for the tokens-per-minute limit (about four characters a token, plus the
     * output limit); the real usage corrects it after the call.
     */
    static long estimateTokens(ChatRequest request) {
        return TokenEstimate.input(request) + (request.maxTokens() == null ? 0 : request.maxTokens());
    }

    @Override
    public dev.camelllm.spi.ProviderHealth health() {
        return delegate.health();
    }

    @Override
    public void checkResponseFormat(dev.camelllm.api.ResponseFormat format) {
        delegate.checkResponseFormat(format);
    }

    @Override
    public int queueDepth() {
        return delegate.queueDepth();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
