package dev.camelllm.provider.onnx;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import ai.onnxruntime.OrtException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.api.Usage;
import dev.camelllm.constraint.JsonConstraint;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatStream;

/**
 * One local generation, streamed token by token through the provider-neutral chunks.
 *
 * <p>It generates lazily, on the caller's thread, inside {@link #hasNext()}: each call runs model steps
 * until a chunk is ready. Chosen over a worker thread with a hand-off queue because (1) the consumer
 * sets the pace, so a slow or stalled consumer never lets a generation race ahead holding memory, and
 * one that stops reading costs nothing; (2) the native tensors are only touched by the thread that
 * steps, so there are no hand-off races on them; (3) there is no extra thread per request. The
 * generation slot (maxConcurrentGenerations) is held from {@code stream()} until the last chunk or
 * {@link #close()}, whichever comes first; the producer closes every stream when its exchange completes,
 * so a slot cannot leak. {@link #close()} may come from any thread: it aborts a running step through
 * ONNX Runtime's terminate flag (so even a long prefill stops within one kernel) and frees the native
 * state at once, or, when a step is running, as soon as that step returns.
 */
final class OnnxChatStream implements ChatStream {

    private final LocalModel model;
    private final String modelName;
    private final GenerationLimiter.Permit permit;
    private final DecoderSession session;
    private final Sampler sampler;
    /** Set when the answer must be a JSON document of a schema; then neither stop sequences nor the parser apply. */
    private final ConstrainedSampler constrained;
    private final IncrementalDecoder decoder;
    private final StopSequences stops;
    private final OutputParser parser;
    private final Set<Long> eos;
    private final int promptTokens;
    private final int maxNewTokens;
    private final int maxPositions;
    private final long deadlineNanos;
    private final long timeoutMs;
    private final BitSet seen;
    private final ReentrantLock stepLock = new ReentrantLock();
    private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
    private long[] input;
    private int generated;
    private boolean finished;
    private boolean released;
    private volatile boolean closed;
    private final CallContext call;
    private volatile CallContext.Registration cancelRegistration;

    /**
     * @param deadlineNanos System.nanoTime() by which the whole answer must be done (chat), or
     *                      Long.MAX_VALUE (stream: the consumer sets the pace)
     */
    OnnxChatStream(LocalModel model, String modelName, GenerationLimiter.Permit permit, long[] promptIds,
                   boolean startInThinking, Sampler sampler, JsonConstraint constraint, int maxNewTokens,
                   List<String> stopSequences, long deadlineNanos, long timeoutMs, CallContext call) {
        this.call = call;
        this.model = model;
        this.modelName = modelName;
        this.permit = permit;
        this.session = new DecoderSession(model);
        this.sampler = sampler;
        this.constrained = constraint == null ? null : new ConstrainedSampler(sampler, constraint);
        this.decoder = new IncrementalDecoder(model.tokenizer());
        this.stops = new StopSequences(stopSequences);
        this.parser = new OutputParser(startInThinking);
        this.eos = model.metadata().eosTokenIds();
        this.promptTokens = promptIds.length;
        this.maxNewTokens = maxNewTokens;
        this.maxPositions = model.metadata().maxPositions();
        this.deadlineNanos = deadlineNanos;
        this.timeoutMs = timeoutMs;
        this.seen = new BitSet(model.info().vocab());
        for (long id : promptIds) {
            seen.set((int) id);
        }
        this.input = promptIds;
    }

    @Override
    public boolean hasNext() {
        stepLock.lock();
        try {
            while (pending.isEmpty()) {
                if (finished) {
                    return false;
                }
                if (closed || call.isCancelled()) {
                    release();
                    throw closedError(null);
                }
                advance();
            }
            return true;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public ChatChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException("stream completed");
        }
        return pending.poll();
    }

    /** One model step: one new token, and the chunks it completes. */
    private void advance() {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            release();
            throw new LlmTimeoutException(OnnxOptions.PROVIDER, modelName, "the deadline ran out: the answer took longer "
                    + "than its time (" + timeoutMs + " ms, the smaller of the endpoint's timeout and the call's time left) after "
                    + generated + " tokens", null);
        }
        float[] logits;
        try {
            logits = session.step(input);
        } catch (OrtException | RuntimeException e) {
            release();
            if (closed || call.isCancelled()) {
                throw closedError(e);
            }
            if (e instanceof LlmException le) {
                throw le;
            }
            throw new LlmStreamException(OnnxOptions.PROVIDER, modelName, "generation failed: " + e.getMessage(), e);
        }
        int token = constrained != null ? constrained.next(logits, seen) : sampler.next(logits, seen);
        if (token < 0) {
            release();
            throw new LlmStreamException(OnnxOptions.PROVIDER, modelName, "constrained decoding: no token of the "
                    + "vocabulary continues the JSON document after " + generated + " tokens", null);
        }
        generated++;
        if (eos.contains((long) token)) {
            complete(FinishReason.STOP, "stop");
            return;
        }
        seen.set(token);
        if (constrained != null) {
            constrained.constraint().accept(token);
            emitText(decoder.add(token));
        } else {
            parser.accept(stops.accept(decoder.add(token)), pending::add);
        }
        if (stops.stopped()) {
            complete(FinishReason.STOP, "stop_sequence");
        } else if (constrained != null && constrained.constraint().complete()) {
            // the document is whole and nothing may follow: no need to wait for the model's end token
            complete(FinishReason.STOP, "stop");
        } else if (generated >= maxNewTokens || session.position() + 1 >= maxPositions) {
            complete(FinishReason.LENGTH, "length");
        } else {
            input = new long[] {token};
        }
    }

    private void complete(FinishReason reason, String rawReason) {
        if (constrained != null) {
            emitText(decoder.flush());
        } else {
            if (!stops.stopped()) {
                String rest = stops.accept(decoder.flush());
                parser.accept(stops.stopped() ? rest : rest + stops.flush(), pending::add);
            }
            parser.finish(pending::add);
        }
        FinishReason finish = reason;
        String raw = rawReason;
        if (reason == FinishReason.STOP && parser.toolCalls() > 0) {
            finish = FinishReason.TOOL_CALLS;
            raw = "tool_calls";
        }
        pending.add(new ChatChunk.UsageUpdate(new Usage(promptTokens, generated)));
        pending.add(new ChatChunk.Finish(finish, raw));
        finished = true;
        release();
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            pending.add(new ChatChunk.TextDelta(text));
        }
    }

    /** Frees the KV cache and the generation slot; only while holding the step lock, or when no step runs. */
    private void release() {
        if (!released) {
            released = true;
            session.close();
            permit.release();
        }
    }

    /** A cancelled call stops at the next step as CANCELLED; a stream closed otherwise ends unfinished. */
    private LlmException closedError(Throwable cause) {
        if (call.isCancelled()) {
            return new LlmException(ErrorKind.CANCELLED, OnnxOptions.PROVIDER, modelName,
                    "the call was cancelled after " + generated + " tokens; generation stopped", cause);
        }
        return new LlmStreamException(OnnxOptions.PROVIDER, modelName, "stream was closed before it completed", cause);
    }

    /** Tokens generated so far. */
    int generated() {
        return generated;
    }

    /** Closes this stream when the call is cancelled, until the stream closes. */
    OnnxChatStream closeOnCancel() {
        cancelRegistration = call.onCancel(this::close);
        return this;
    }

    @Override
    public void close() {
        CallContext.Registration r = cancelRegistration;
        if (r != null) {
            r.close();
        }
        closed = true;
        session.terminate();
        if (stepLock.tryLock()) {
            try {
                release();
            } finally {
                stepLock.unlock();
            }
        }
    }
}
