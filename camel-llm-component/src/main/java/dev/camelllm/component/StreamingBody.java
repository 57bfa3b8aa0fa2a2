package dev.camelllm.component;

import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

import org.apache.camel.Exchange;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.cache.StreamRecording;
import dev.camelllm.spi.ChatStream;

/**
 * The body of a streamed exchange: a lazy iterator over the provider's stream, so that {@code split}
 * with {@code streaming: true} handles each token as it arrives. In text format it yields the answer's
 * String deltas; in chunks format every {@link ChatChunk}. When the stream ends, the finished response
 * (text, tool calls, thinking, usage, timings) is handed to {@code onFinish}. Errors of the stream
 * surface from {@link #next()}.
 *
 * <p>{@link #hasNext()} answers without waiting (true until the end is known) and {@link #next()} waits
 * for the next item, returning {@code null} once when the stream turns out to have ended. Camel's
 * splitter asks {@code hasNext()} right after each {@code next()}, before it processes the item, and
 * skips null items: a blocking {@code hasNext()} would hold every token back until the following one
 * arrived. Code that iterates by hand skips the null.
 */
public final class StreamingBody implements Iterator<Object>, Closeable {

    private final ChatStream stream;
    private final Exchange exchange;
    private final boolean textOnly;
    private final long startNanos;
    private final String provider;
    private final String model;
    private final Consumer<ChatResponse> onFinish;
    private final ResponseAssembler assembler = new ResponseAssembler();
    private long firstTokenNanos = -1;
    private ChatResponse response;
    private volatile Consumer<RuntimeException> onFailure = e -> { };
    /** Keeps the chunks for the response cache, when the answer may be cached. */
    private volatile StreamRecording recording;

    StreamingBody(ChatStream stream, Exchange exchange, boolean textOnly, long startNanos, String provider, String model,
                  Consumer<ChatResponse> onFinish) {
        this.stream = stream;
        this.exchange = exchange;
        this.textOnly = textOnly;
        this.startNanos = startNanos;
        this.provider = provider;
        this.model = model;
        this.onFinish = onFinish;
    }

    @Override
    public boolean hasNext() {
        // a failed exchange processes no more tokens, but Camel's splitter, stopping on an exception, still
        // iterates what is left (to release its pooled exchanges): end here rather than read the rest
        return response == null && exchange.getException() == null;
    }

    @Override
    public Object next() {
        if (response != null) {
            throw new NoSuchElementException("the stream has ended");
        }
        return pull();
    }

    /** Also tells {@code onFailure} when the stream fails (cut, stall, error event) before it finished. */
    void onFailure(Consumer<RuntimeException> onFailure) {
        this.onFailure = onFailure;
    }

    /** Keeps every chunk that passes in this recording (for the response cache). */
    void record(StreamRecording recording) {
        this.recording = recording;
    }

    /** Waits for the next item of this format; null when the stream ended. */
    private Object pull() {
        try {
            return pullOrFail();
        } catch (RuntimeException e) {
            onFailure.accept(e);
            throw e;
        }
    }

    private Object pullOrFail() {
        while (stream.hasNext()) {
            ChatChunk chunk = stream.next();
            assembler.accept(chunk);
            StreamRecording r = recording;
            if (r != null) {
                r.add(chunk);
            }
            if (firstTokenNanos < 0 && chunk.isOutput()) {
                firstTokenNanos = System.nanoTime();
            }
            if (!textOnly) {
                return chunk;
            }
            if (chunk instanceof ChatChunk.TextDelta t && !t.text().isEmpty()) {
                return t.text();
            }
        }
        finish();
        return null;
    }

    /** The provider that answers (after any fallback). */
    public String provider() {
        return provider;
    }

    /** The model that answers (after any fallback). */
    public String model() {
        return model;
    }

    /** The finished response, or null while the stream is still running. */
    public ChatResponse response() {
        return response;
    }

    private void finish() {
        long now = System.nanoTime();
        long ttft = firstTokenNanos < 0 ? -1 : (firstTokenNanos - startNanos) / 1_000_000;
        response = assembler.build(provider, model, ttft, (now - startNanos) / 1_000_000);
        stream.close();
        onFinish.accept(response);
    }


    @Override
    public void close() {
        stream.close();
    }
}
