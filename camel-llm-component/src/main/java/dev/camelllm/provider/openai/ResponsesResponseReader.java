package dev.camelllm.provider.openai;

import dev.camelllm.chatcompletions.ToolCallAccumulator;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/**
 * Reads a Responses API {@code response} object (the body of a non-streamed answer, or the {@code response}
 * of a streamed {@code response.completed} / {@code response.incomplete}) into a {@link ChatResponse}. A
 * reasoning item becomes a {@link ContentPart.Thinking} whose text is its summary and whose signature is its
 * {@code encrypted_content}, so that a tool loop sends it back unchanged.
 */
final class ResponsesResponseReader {

    private ResponsesResponseReader() {
    }

    static ChatResponse read(JsonNode response, String provider, String requestModel, long durationMs) {
        String model = Json.text(response, "model") != null ? Json.text(response, "model") : requestModel;
        List<ContentPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean refused = false;
        boolean calls = false;
        for (JsonNode item : response.path("output")) {
            String type = Json.text(item, "type");
            if ("reasoning".equals(type)) {
                String summary = summary(item);
                String encrypted = Json.text(item, "encrypted_content");
                if (!summary.isEmpty() || encrypted != null) {
                    parts.add(new ContentPart.Thinking(summary, encrypted));
                }
            } else if ("message".equals(type)) {
                for (JsonNode c : item.path("content")) {
                    if ("output_text".equals(Json.text(c, "type")) && Json.text(c, "text") != null) {
                        text.append(Json.text(c, "text"));
                    } else if ("refusal".equals(Json.text(c, "type")) && Json.text(c, "refusal") != null) {
                        refused = true;
                        text.append(Json.text(c, "refusal"));
                    }
                }
            } else if ("function_call".equals(type)) {
                parts.add(new ContentPart.ToolUse(toolCall(item)));
                calls = true;
            }
            // other items (web_search_call, …) come only from hosted tools, which this provider does not send
        }
        if (text.length() > 0 || !calls) {
            // the text goes after the reasoning and before the calls, as the other providers put it
            int at = (int) parts.stream().filter(ContentPart.Thinking.class::isInstance).count();
            parts.add(at, new ContentPart.Text(text.toString()));
        }
        String raw = rawReason(response);
        FinishReason reason = refused ? FinishReason.CONTENT_FILTER : finishReason(raw, calls);
        Usage usage = usage(response.get("usage"));
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), reason, raw, usage == null ? Usage.EMPTY : usage,
                provider, model, -1, durationMs);
    }

    static ToolCall toolCall(JsonNode item) {
        String name = Json.text(item, "name");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a function_call item has no name");
        }
        String id = Json.text(item, "call_id");
        return new ToolCall(id == null || id.isEmpty() ? ToolCallAccumulator.newId() : id, name,
                Json.text(item, "arguments"));
    }

    /** The summary parts of a reasoning item, joined by blank lines. */
    static String summary(JsonNode item) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode s : item.path("summary")) {
            String t = Json.text(s, "text");
            if (t != null && !t.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    /** {@code completed}, or the reason of an {@code incomplete} answer ({@code max_output_tokens}, {@code content_filter}). */
    static String rawReason(JsonNode response) {
        String status = Json.text(response, "status");
        if ("incomplete".equals(status)) {
            String reason = Json.text(response.path("incomplete_details"), "reason");
            return reason != null ? reason : status;
        }
        return status;
    }

    static FinishReason finishReason(String raw, boolean toolCalls) {
        if (raw == null) {
            return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (raw) {
            case "max_output_tokens", "incomplete" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /** Usage, or null when there is none; cached tokens are a part of input_tokens, reasoning tokens of output_tokens. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return new Usage(Json.longValue(u, "input_tokens"), Json.longValue(u, "output_tokens"),
                Json.longValue(u.get("input_tokens_details"), "cached_tokens"), 0,
                Json.longValue(u.get("output_tokens_details"), "reasoning_tokens"));
    }
}
