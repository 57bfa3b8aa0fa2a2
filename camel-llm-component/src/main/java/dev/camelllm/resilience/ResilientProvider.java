package dev.camelllm.resilience;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;

/**
 * Wraps a provider with retries (backoff with jitter, retry-after honoured), the group's rate limits,
 * concurrency cap and circuit breaker, and the first-token timeout of streams. Written as a plain loop
 * rather than a Resilience4j Retry because a stream may only be retried until its first output reached
 * the route, and the wait depends on each error's retry-after.
 */
public final class ResilientProvider implements ChatProvider {

    private final ChatProvider delegate;
    private final RetryPolicy retry;
    private final ResilienceGroup group;
    private final Duration firstTokenTimeout;
    private final ScheduledExecutorService scheduler;

    public ResilientProvider(ChatProvider delegate, RetryPolicy retry, ResilienceGroup group, Duration firstTokenTimeout,
                             ScheduledExecutorService scheduler) {
        this.delegate = delegate;
        this.retry = retry;
        this.group = group;
        this.firstTokenTimeout = firstTokenTimeout;
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
        return chat(request, new CallStats());
    }

    public ChatResponse chat(ChatRequest request, CallStats stats) {
        long estimate = estimateTokens(request);
        int retries = 0;
        while (true) {
            stats.attempt();
            try {
                ResilienceGroup.Permit permit = group.enter(estimate, name(), modelOf(request));
                try {
                    ChatResponse response = delegate.chat(request);
                    permit.success(response.usage() == null ? -1 : response.usage().totalTokens());
                    return response;
                } catch (RuntimeException e) {
                    permit.failure(e);
                    throw e;
                }
            } catch (LlmException e) {
                if (!retry.shouldRetry(e, retries)) {
                    throw e;
                }
                retries++;
                backoff(retry.delayBefore(retries, e), request);
            }
        }
    }

    /** Bridge only, so that this class compiles against the SPI: the resilience rewrite passes the call on. */
    @Override
    public ChatResponse chat(ChatRequest request, dev.camelllm.spi.CallContext call) {
        return chat(request);
    }

    /** Bridge only, so that this class compiles against the SPI: the resilience rewrite passes the call on. */
    @Override
    public ChatStream stream(ChatRequest request, dev.camelllm.spi.CallContext call) {
        return stream(request);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return stream(request, new CallStats());
    }

    /** Opens a stream, retrying failures until the first output; the returned stream retries on too. */
    public ChatStream stream(ChatRequest request, CallStats stats) {
        RetryingStream stream = new RetryingStream(this, request, stats);
        stream.open();
        return stream;
    }

    /** One attempt to open a stream, holding the group's permit until the stream ends. */
    GuardedStream openOnce(ChatRequest request, long estimate) {
        ResilienceGroup.Permit permit = group.enter(estimate, name(), modelOf(request));
        try {
            return new GuardedStream(delegate.stream(request), permit, firstTokenTimeout, scheduler, name(),
                    modelOf(request));
        } catch (RuntimeException e) {
            permit.failure(e);
            throw e;
        }
    }

    RetryPolicy retryPolicy() {
        return retry;
    }

    void backoff(Duration delay, ChatRequest request) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorKind.CANCELLED, name(), modelOf(request), "interrupted during retry backoff");
        }
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
    public int queueDepth() {
        return delegate.queueDepth();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
