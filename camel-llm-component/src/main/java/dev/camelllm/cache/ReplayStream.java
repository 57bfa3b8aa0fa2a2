package dev.camelllm.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.ChatStream;

/**
 * A cached answer as a stream: the chunks it was streamed with, or, for an answer that was not streamed,
 * chunks made from its response (thinking, text, tool calls, usage, finish), so that a streaming caller
 * gets the same text, finish reason and usage either way.
 */
public final class ReplayStream implements ChatStream {

    private final List<ChatChunk> chunks;
    private int next;
    private volatile boolean closed;

    public ReplayStream(CachedAnswer answer) {
        this.chunks = answer.chunks() != null ? answer.chunks() : chunksOf(answer.response());
    }

    static List<ChatChunk> chunksOf(ChatResponse response) {
        List<ChatChunk> out = new ArrayList<>();
        for (ContentPart part : response.message().parts()) {
            if (part instanceof ContentPart.Thinking t) {
                out.add(new ChatChunk.ThinkingDelta(t.text()));
                if (t.signature() != null) {
                    out.add(new ChatChunk.ThinkingSignature(t.signature()));
                }
            } else if (part instanceof ContentPart.RedactedThinking r) {
                out.add(new ChatChunk.RedactedThinking(r.data()));
            } else if (part instanceof ContentPart.Text t) {
                out.add(new ChatChunk.TextDelta(t.text()));
            }
        }
        List<ToolCall> calls = response.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            out.add(new ChatChunk.ToolCallDelta(i, c.id(), c.name(), c.arguments()));
            out.add(new ChatChunk.ToolCallComplete(i, c));
        }
        if (response.usage() != null) {
            out.add(new ChatChunk.UsageUpdate(response.usage()));
        }
        out.add(new ChatChunk.Finish(response.finishReason(), response.rawFinishReason()));
        return out;
    }

    @Override
    public boolean hasNext() {
        return !closed && next < chunks.size();
    }

    @Override
    public ChatChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the replayed stream was closed" : "the replayed stream has ended");
        }
        return chunks.get(next++);
    }

    @Override
    public void close() {
        closed = true;
    }
}
