package dev.camelllm.provider.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.Json;

/**
 * Splits the generated text into the provider-neutral chunks: {@code <think>…</think>} becomes
 * ThinkingDelta, {@code <tool_call>{"name": …, "arguments": …}</tool_call>} (Qwen / Hermes style)
 * becomes a ToolCallDelta and a ToolCallComplete, the rest TextDelta. Tags may arrive split across
 * deltas, so a possible tag start is held back. Newlines around the tags are dropped the way
 * transformers' Qwen3 parsing does (thinking and the answer after it are stripped of leading and
 * trailing newlines). A tool call that is not valid JSON, or not closed, is kept as text.
 */
final class OutputParser {

    private static final AtomicLong CALL_IDS = new AtomicLong();

    private static final String THINK = "<think>";
    private static final String END_THINK = "</think>";
    private static final String TOOL = "<tool_call>";
    private static final String END_TOOL = "</tool_call>";

    private enum State {
        TEXT,
        THINKING,
        TOOL_CALL
    }

    private State state;
    private final StringBuilder buffer = new StringBuilder();
    private final StringBuilder toolJson = new StringBuilder();
    /** Newlines at the end of emitted text or thinking, emitted only if more content follows. */
    private final StringBuilder trailingNewlines = new StringBuilder();
    private boolean trimLeading;
    private int toolCalls;

    OutputParser(boolean startInThinking) {
        state = startInThinking ? State.THINKING : State.TEXT;
        trimLeading = true;
    }

    int toolCalls() {
        return toolCalls;
    }

    void accept(String text, Consumer<ChatChunk> out) {
        buffer.append(text);
        while (buffer.length() > 0) {
            String closing = switch (state) {
                case TEXT -> null;
                case THINKING -> END_THINK;
                case TOOL_CALL -> END_TOOL;
            };
            int at;
            String tag;
            if (state == State.TEXT) {
                int think = buffer.indexOf(THINK);
                int tool = buffer.indexOf(TOOL);
                at = think >= 0 && (tool < 0 || think < tool) ? think : tool;
                tag = at == think ? THINK : TOOL;
            } else {
                at = buffer.indexOf(closing);
                tag = closing;
            }
            if (at < 0) {
                int keep = state == State.TEXT ? Math.max(partial(THINK), partial(TOOL)) : partial(closing);
                content(buffer.substring(0, buffer.length() - keep), out);
                buffer.delete(0, buffer.length() - keep);
                return;
            }
            content(buffer.substring(0, at), out);
            buffer.delete(0, at + tag.length());
            switch (tag) {
                case THINK -> enter(State.THINKING);
                case TOOL -> enter(State.TOOL_CALL);
                case END_THINK -> enter(State.TEXT);
                default -> {
                    toolCall(out);
                    enter(State.TEXT);
                }
            }
        }
    }

    /** End of generation: emit what is held; an unclosed tool call or tag start is text. */
    void finish(Consumer<ChatChunk> out) {
        if (state == State.TOOL_CALL) {
            String raw = TOOL + toolJson + buffer;
            toolJson.setLength(0);
            buffer.setLength(0);
            state = State.TEXT;
            content(raw, out);
        } else {
            String rest = buffer.toString();
            buffer.setLength(0);
            content(rest, out);
        }
        if (state == State.TEXT && trailingNewlines.length() > 0) {
            out.accept(new ChatChunk.TextDelta(trailingNewlines.toString()));
        }
        trailingNewlines.setLength(0);
    }

    private void enter(State next) {
        // newlines before a tag belong to neither side
        trailingNewlines.setLength(0);
        state = next;
        trimLeading = true;
    }

    private void content(String text, Consumer<ChatChunk> out) {
        if (text.isEmpty()) {
            return;
        }
        if (state == State.TOOL_CALL) {
            toolJson.append(text);
            return;
        }
        String t = text;
        if (trimLeading) {
            t = PythonMethodsResolver.lstrip(t, "\n");
            if (t.isEmpty()) {
                return;
            }
            trimLeading = false;
        }
        String body = PythonMethodsResolver.rstrip(t, "\n");
        String newlines = t.substring(body.length());
        if (!body.isEmpty()) {
            String chunk = trailingNewlines + body;
            trailingNewlines.setLength(0);
            out.accept(state == State.THINKING ? new ChatChunk.ThinkingDelta(chunk) : new ChatChunk.TextDelta(chunk));
        }
        trailingNewlines.append(newlines);
    }

    private void toolCall(Consumer<ChatChunk> out) {
        String raw = toolJson.toString();
        toolJson.setLength(0);
        ToolCall call = parse(raw);
        if (call == null) {
            state = State.TEXT;
            trimLeading = false;
            content(TOOL + raw + END_TOOL, out);
            return;
        }
        int index = toolCalls++;
        out.accept(new ChatChunk.ToolCallDelta(index, call.id(), call.name(), call.arguments()));
        out.accept(new ChatChunk.ToolCallComplete(index, call));
    }

    private static ToolCall parse(String raw) {
        JsonNode node;
        try {
            node = Json.parse(raw.trim());
        } catch (Exception e) {
            return null;
        }
        String name = Json.text(node, "name");
        if (!node.isObject() || name == null || name.isBlank()) {
            return null;
        }
        JsonNode args = node.has("arguments") ? node.get("arguments") : node.get("parameters");
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isTextual()) {
            arguments = args.asText();
        } else {
            Map<String, Object> ordered = Json.MAPPER.convertValue(args, LinkedHashMap.class);
            arguments = Json.write(ordered);
        }
        return new ToolCall("call_" + CALL_IDS.getAndIncrement(), name, arguments);
    }

    /** How many characters at the end of the buffer could start {@code tag}. */
    private int partial(String tag) {
        int max = Math.min(tag.length() - 1, buffer.length());
        String tail = buffer.substring(buffer.length() - max);
        for (int k = max; k > 0; k--) {
            if (tail.regionMatches(tail.length() - k, tag, 0, k)) {
                return k;
            }
        }
        return 0;
    }
}
