package dev.camelllm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A message of a conversation: a role and its content parts. */
public record ChatMessage(Role role, List<ContentPart> parts) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, List.of(new ContentPart.Text(text)));
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, List.of(new ContentPart.Text(text)));
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Text(text)));
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult(toolCallId, content, false)));
    }

    /** The concatenated text parts. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** The concatenated thinking parts, or null when there are none. */
    public String thinking() {
        StringBuilder sb = null;
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Thinking t) {
                sb = sb == null ? new StringBuilder() : sb;
                sb.append(t.text());
            }
        }
        return sb == null ? null : sb.toString();
    }

    public List<ToolCall> toolCalls() {
        List<ToolCall> calls = new ArrayList<>();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.ToolUse t) {
                calls.add(t.call());
            }
        }
        return calls;
    }

    public <T extends ContentPart> List<T> partsOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ContentPart part : parts) {
            if (type.isInstance(part)) {
                out.add(type.cast(part));
            }
        }
        return out;
    }
}
