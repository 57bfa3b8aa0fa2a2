package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;

/**
 * Bridges ConverseStream's push publisher to the pull {@link ChatStream}: the subscriber asks for at most
 * {@link #WINDOW} events ahead and one more for each the reader takes, so a slow reader slows the upstream
 * (the SDK stops reading the socket) rather than filling memory. Each wait for an event is bounded by the
 * stream's idle timeout; {@link #close()} cancels the subscription and the call, which closes its connection.
 * The answer is complete only once messageStop arrived and the event stream ended.
 */
final class BedrockChatStream implements ChatStream, ConverseStreamResponseHandler {

    /** Events requested ahead of the reader. */
    static final int WINDOW = 16;
    private static final Object END = new Object();

    private final String model;
    private final String answerTool;
    private final BedrockAuth auth;
    private final Duration idleTimeout;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final CountDownLatch responded = new CountDownLatch(1);
    private final AtomicReference<Throwable> headerFailure = new AtomicReference<>();
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private volatile CompletableFuture<Void> call;
    private volatile boolean closed;
    private boolean completed;
    private ChatChunk.Finish finish;
    private boolean stopped;
    private int toolCalls;
    private boolean answered;
    private LlmException failure;

    BedrockChatStream(String model, BedrockAuth auth, Duration idleTimeout) {
        this(model, auth, idleTimeout, null);
    }

    /** With {@code answerTool} set, that tool's input fragments are the answer's text (the forced JSON tool). */
    BedrockChatStream(String model, BedrockAuth auth, Duration idleTimeout, String answerTool) {
        this.answerTool = answerTool;
        this.model = model;
        this.auth = auth;
        this.idleTimeout = idleTimeout;
    }

    void started(CompletableFuture<Void> future) {
        this.call = future;
        if (closed) {
            future.cancel(true);
        }
    }

    /**
     * Waits for the response headers (or the HTTP error) within {@code wait}. On failure the call is cancelled
     * and the typed error thrown.
     */
    void awaitResponse(Duration wait) {
        boolean arrived;
        try {
            arrived = responded.await(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LlmException(ErrorKind.CANCELLED, BedrockProvider.NAME, model, "interrupted while waiting for Bedrock");
        }
        if (closed) {
            throw cancelled();
        }
        if (!arrived) {
            close();
            throw new LlmTimeoutException(BedrockProvider.NAME, model, "the deadline ran out: no response from Bedrock "
                    + "within " + wait.toMillis() + " ms", null);
        }
        Throwable failed = headerFailure.get();
        if (failed != null) {
            close();
            if (BedrockErrors.isCancellation(failed)) {
                throw cancelled();
            }
            throw BedrockErrors.translate(failed, model, auth, false);
        }
    }

    // ---- the SDK's side: called on its threads ----

    @Override
    public void responseReceived(ConverseStreamResponse response) {
        responded.countDown();
    }

    @Override
    public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
                if (closed) {
                    s.cancel();
                } else {
                    s.request(WINDOW);
                }
            }

            @Override
            public void onNext(ConverseStreamOutput event) {
                events.add(event);
            }

            @Override
            public void onError(Throwable t) {
                events.add(new Failed(t));
            }

            @Override
            public void onComplete() {
                events.add(END);
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable throwable) {
        if (responded.getCount() > 0) {
            headerFailure.compareAndSet(null, throwable);
            responded.countDown();
        } else {
            // after the headers: an exception frame or a cut connection; the publisher may not say it itself
            events.add(new Failed(throwable));
        }
    }

    @Override
    public void complete() {
        // the end of the event stream arrives through the publisher's onComplete
    }

    // ---- the reader's side ----

    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        try {
            return advance();
        } catch (LlmException e) {
            failure = e;
            close();
            throw e;
        }
    }

    private boolean advance() {
        while (pending.isEmpty()) {
            if (completed) {
                return false;
            }
            if (closed) {
                throw new LlmStreamException(BedrockProvider.NAME, model, "stream was closed before it completed", null);
            }
            Object item;
            try {
                item = events.poll(Math.max(1, idleTimeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled();
            }
            if (closed) {
                throw new LlmStreamException(BedrockProvider.NAME, model, "stream was closed before it completed", null);
            }
            if (item == null) {
                throw new LlmTimeoutException(BedrockProvider.NAME, model,
                        "stream stalled: no event from Bedrock within " + idleTimeout.toMillis() + " ms", null);
            }
            if (item == END) {
                if (!stopped) {
                    throw new LlmStreamException(BedrockProvider.NAME, model,
                            "stream ended before messageStop: the answer is incomplete", null);
                }
                flushFinish();
                completed = true;
                continue;
            }
            if (item instanceof Failed f) {
                if (closed || BedrockErrors.isCancellation(f.error)) {
                    throw cancelled();
                }
                throw BedrockErrors.translate(f.error, model, auth, true);
            }
            Subscription s = subscription.get();
            if (s != null) {
                s.request(1);
            }
            onEvent((ConverseStreamOutput) item);
        }
        return true;
    }

    @Override
    public ChatChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException("stream completed");
        }
        return pending.poll();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<Void> f = call;
        if (f != null && !completed) {
            f.cancel(true);
        }
        events.add(END); // wakes a reader parked in poll
        responded.countDown();
    }

    /** Events received and not yet read: never more than {@link #WINDOW} (plus the end marker). */
    int buffered() {
        return events.size();
    }

    private LlmException cancelled() {
        return new LlmException(ErrorKind.CANCELLED, BedrockProvider.NAME, model, "the call was cancelled; its stream was closed");
    }

    // ---- events to chunks ----

    private void onEvent(ConverseStreamOutput event) {
        if (stopped && !(event instanceof ConverseStreamMetadataEvent)) {
            return;
        }
        if (event instanceof ContentBlockStartEvent start) {
            blockStart(start);
        } else if (event instanceof ContentBlockDeltaEvent delta) {
            blockDelta(delta);
        } else if (event instanceof ContentBlockStopEvent stop) {
            blockStop(stop.contentBlockIndex());
        } else if (event instanceof MessageStopEvent stop) {
            // held back until the usage (metadata, which follows) so that usage comes before the finish
            String raw = stop.stopReasonAsString();
            FinishReason reason = BedrockResponseReader.finishReason(raw);
            finish = new ChatChunk.Finish(answered && reason == FinishReason.TOOL_CALLS ? FinishReason.STOP : reason, raw);
            stopped = true;
        } else if (event instanceof ConverseStreamMetadataEvent metadata) {
            if (metadata.usage() != null) {
                pending.add(new ChatChunk.UsageUpdate(BedrockResponseReader.usage(metadata.usage())));
            }
            flushFinish();
        }
        // messageStart and newer event types carry nothing to hand on
    }

    private void flushFinish() {
        if (finish != null) {
            pending.add(finish);
            finish = null;
        }
    }

    private Block block(Integer index) {
        int i = index == null ? 0 : index;
        return blocks.computeIfAbsent(i, k -> new Block());
    }

    private void blockStart(ContentBlockStartEvent event) {
        if (event.start() == null || event.start().toolUse() == null) {
            return;
        }
        Block block = block(event.contentBlockIndex());
        if (answerTool != null && answerTool.equals(event.start().toolUse().name())) {
            block.answer = true;
            answered = true;
            return;
        }
        block.tool = true;
        block.toolIndex = toolCalls++;
        block.id = event.start().toolUse().toolUseId();
        block.name = event.start().toolUse().name();
        if (block.name == null) {
            throw malformed("toolUse block " + event.contentBlockIndex() + " has no name");
        }
        pending.add(new ChatChunk.ToolCallDelta(block.toolIndex, block.id, block.name, ""));
    }

    private void blockDelta(ContentBlockDeltaEvent event) {
        ContentBlockDelta delta = event.delta();
        if (delta == null) {
            return;
        }
        Block block = block(event.contentBlockIndex());
        if (delta.text() != null) {
            if (!delta.text().isEmpty()) {
                pending.add(new ChatChunk.TextDelta(delta.text()));
            }
        } else if (delta.toolUse() != null && block.answer) {
            String fragment = delta.toolUse().input();
            if (fragment != null && !fragment.isEmpty()) {
                pending.add(new ChatChunk.TextDelta(fragment));
            }
        } else if (delta.toolUse() != null) {
            if (!block.tool) {
                throw malformed("toolUse delta for block " + event.contentBlockIndex() + ", which did not start as a toolUse block");
            }
            String fragment = delta.toolUse().input();
            if (fragment != null && !fragment.isEmpty()) {
                block.json.append(fragment);
                pending.add(new ChatChunk.ToolCallDelta(block.toolIndex, null, null, fragment));
            }
        } else if (delta.reasoningContent() != null) {
            ReasoningContentBlockDelta r = delta.reasoningContent();
            if (r.text() != null && !r.text().isEmpty()) {
                block.reasoning = true;
                pending.add(new ChatChunk.ThinkingDelta(r.text()));
            } else if (r.signature() != null) {
                block.reasoning = true;
                block.signature.append(r.signature());
            } else if (r.redactedContent() != null) {
                pending.add(new ChatChunk.RedactedThinking(Base64.getEncoder().encodeToString(r.redactedContent().asByteArray())));
            }
        }
        // citations and newer delta types: nothing to hand on
    }

    private void blockStop(Integer index) {
        Block block = blocks.remove(index == null ? 0 : index);
        if (block == null) {
            return;
        }
        if (block.tool) {
            String arguments = block.json.length() > 0 ? block.json.toString() : "{}";
            JsonNode input;
            try {
                input = BedrockRequestWriter.STRICT.readTree(arguments);
            } catch (JsonProcessingException e) {
                throw malformed("toolUse block " + index + " (" + block.name + ") sent input that is not valid JSON: "
                        + e.getOriginalMessage());
            }
            if (input == null || !input.isObject()) {
                throw malformed("toolUse block " + index + " (" + block.name + ") sent input that is not a JSON object");
            }
            pending.add(new ChatChunk.ToolCallComplete(block.toolIndex, new ToolCall(block.id, block.name, Json.write(input))));
        } else if (block.reasoning && block.signature.length() > 0) {
            pending.add(new ChatChunk.ThinkingSignature(block.signature.toString()));
        }
    }

    private LlmStreamException malformed(String what) {
        return new LlmStreamException(BedrockProvider.NAME, model, "malformed stream: " + what, null);
    }

    private record Failed(Throwable error) {
    }

    /** What is known about one open content block. */
    private static final class Block {
        final StringBuilder json = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        boolean tool;
        boolean answer;
        boolean reasoning;
        int toolIndex;
        String id;
        String name;
    }

}
