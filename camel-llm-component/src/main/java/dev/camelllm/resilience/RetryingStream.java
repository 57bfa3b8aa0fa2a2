package dev.camelllm.resilience;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.LlmException;
import dev.camelllm.spi.ChatStream;

/**
 * A stream that retries its request until the first output (text, thinking or a tool call) is handed
 * on. Chunks before that (usage, metadata) are held back, so a retry leaves no trace downstream. Once
 * output has started, a failure ends the stream with its error: a partial answer is never completed by
 * another attempt.
 */
final class RetryingStream implements ChatStream {

    private final ResilientProvider owner;
    private final ChatRequest request;
    private final CallStats stats;
    private final long estimate;
    private final ArrayDeque<ChatChunk> held = new ArrayDeque<>();
    private GuardedStream current;
    private boolean started;
    private int retries;
    private volatile boolean closed;

    RetryingStream(ResilientProvider owner, ChatRequest request, CallStats stats) {
        this.owner = owner;
        this.request = request;
        this.stats = stats;
        this.estimate = ResilientProvider.estimateTokens(request);
    }

    void open() {
        current = openWithRetries();
    }

    private GuardedStream openWithRetries() {
        while (true) {
            stats.attempt();
            try {
                return owner.openOnce(request, estimate);
            } catch (LlmException e) {
                retryOrThrow(e);
            }
        }
    }

    private void retryOrThrow(LlmException e) {
        if (closed || !owner.retryPolicy().shouldRetry(e, retries)) {
            throw e;
        }
        retries++;
        owner.backoff(owner.retryPolicy().delayBefore(retries, e), request);
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
            try {
                while (current.hasNext()) {
                    ChatChunk chunk = current.next();
                    held.add(chunk);
                    if (chunk.isOutput()) {
                        started = true;
                        return true;
                    }
                }
                started = true;
                return !held.isEmpty();
            } catch (LlmException e) {
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

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.close();
        }
    }

}
