package dev.camelllm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the finished {@link ChatResponse} from the chunks of a stream, in the order they arrive. One
 * assembler per stream; not thread-safe.
 */
public final class ResponseAssembler {

    private final StringBuilder text = new StringBuilder();
    private final List<ContentPart> thinkingParts = new ArrayList<>();
    private StringBuilder thinking;
    private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
    private Usage usage = Usage.EMPTY;
    private FinishReason finishReason;
    private String rawFinishReason;

    public void accept(ChatChunk chunk) {
        if (chunk instanceof ChatChunk.TextDelta t) {
            text.append(t.text());
        } else if (chunk instanceof ChatChunk.ThinkingDelta t) {
            if (thinking == null) {
                thinking = new StringBuilder();
            }
            thinking.append(t.text());
        } else if (chunk instanceof ChatChunk.ThinkingSignature s) {
            closeThinking(s.signature());
        } else if (chunk instanceof ChatChunk.RedactedThinking r) {
            closeThinking(null);
            thinkingParts.add(new ContentPart.RedactedThinking(r.data()));
        } else if (chunk instanceof ChatChunk.ToolCallComplete c) {
            toolCalls.put(c.index(), c.call());
        } else if (chunk instanceof ChatChunk.UsageUpdate u) {
            usage = usage.merge(u.usage());
        } else if (chunk instanceof ChatChunk.Finish f) {
            finishReason = f.reason();
            rawFinishReason = f.rawReason();
        }
    }

    private void closeThinking(String signature) {
        if (thinking != null || signature != null) {
            thinkingParts.add(new ContentPart.Thinking(thinking == null ? "" : thinking.toString(), signature));
            thinking = null;
        }
    }


    public String textSoFar() {
        return text.toString();
    }

    public ChatResponse build(String provider, String model, long timeToFirstTokenMs, long durationMs) {
        closeThinking(null);
        List<ContentPart> parts = new ArrayList<>(thinkingParts);
        if (text.length() > 0 || toolCalls.isEmpty()) {
            parts.add(new ContentPart.Text(text.toString()));
        }
        for (ToolCall call : toolCalls.values()) {
            parts.add(new ContentPart.ToolUse(call));
        }
        FinishReason reason = finishReason;
        if (reason == null) {
            reason = FinishReason.ERROR;
        }
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), reason, rawFinishReason, usage, provider, model,
                timeToFirstTokenMs, durationMs);
    }
}
