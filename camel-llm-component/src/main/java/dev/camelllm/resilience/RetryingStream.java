package dev.camelllm.resilience;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.LlmException;
import dev.camelllm.execution.AttemptObserver;
import dev.camelllm.execution.Call;
import dev.camelllm.spi.ChatStream;

/**
 * A stream that retries its request until the first output (text, thinking or a tool call) is handed
 * on, inside the call's deadline. Chunks before that (usage, metadata) are held back, so a retry leaves
 * no trace downstream. Once output has started, a failure ends the stream with its error: a partial
 * answer is never completed by another attempt.
 */
final class RetryingStream implements ChatStream {

    private final ResilientProvider owner;
    private final ChatRequest request;
    private final CallStats stats;
    private final Call call;
    private final long estimate;
    private final ArrayDeque<ChatChunk> held = new ArrayDeque<>();
    private volatile GuardedStream current;
    private boolean started;
    private int retries;
    private volatile boolean closed;
    /** The attempt being traced, until its first output or its failure. */
    private AttemptObserver.Attempt traced = AttemptObserver.Attempt.NONE;

    RetryingStream(ResilientProvider owner, ChatRequest request, CallStats stats, Call call) {
        this.owner = owner;
        this.request = request;
        this.stats = stats;
        this.call = call;
        this.estimate = ResilientProvider.estimateTokens(request);
    }

    void open() {
        current = openWithRetries();
    }

    private GuardedStream openWithRetries() {
        while (true) {
            call.check(owner.name(), owner.modelOf(request));
            stats.attempt();
            long start = System.nanoTime();
            traced = call.attempts().begin(retries + 1, owner.name(), owner.modelOf(request));
            try {
                GuardedStream opened = owner.openOnce(request, estimate, call);
                int attempt = stats.attempts();
                String provider = owner.name();
                call.spent(() -> "attempt " + attempt + " on " + provider + " (until headers)",
                        System.nanoTime() - start);
                return opened;
            } catch (LlmException e) {
                call.spent("attempt " + stats.attempts() + " on " + owner.name(), System.nanoTime() - start);
                endAttempt(e);
                retryOrThrow(e);
            }
        }
    }

    private void retryOrThrow(LlmException e) {
        if (closed) {
            throw e;
        }
        retries = owner.afterFailure(e, retries, request, call);
    }

    @Override
    public boolean hasNext() {
        if (!held.isEmpty()) {
            return true;
        }
        if (started) {
            return current.hasNext();
        }
        while (true) {
            long start = System.nanoTime();
            try {
                while (current.hasNext()) {
                    ChatChunk chunk = current.next();
                    held.add(chunk);
                    if (chunk.isOutput()) {
                        started = true;
                        endAttempt(null);
                        return true;
                    }
                }
                started = true;
                endAttempt(null);
                return !held.isEmpty();
            } catch (LlmException e) {
                call.spent("waiting for the first output on " + owner.name(), System.nanoTime() - start);
                endAttempt(e);
                current.close();
                held.clear();
                retryOrThrow(e);
                current = openWithRetries();
            }
        }
    }

    @Override
    public ChatChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        return held.isEmpty() ? current.next() : held.poll();
    }

    /** A traced stream attempt ends at its first output (then it is the stream) or at its failure. */
    private void endAttempt(Throwable error) {
        AttemptObserver.Attempt a = traced;
        traced = AttemptObserver.Attempt.NONE;
        a.end(error);
    }

    @Override
    public void close() {
        closed = true;
        if (!started) {
            endAttempt(null);
        }
        GuardedStream c = current;
        if (c != null) {
            c.close();
        }
    }

}
