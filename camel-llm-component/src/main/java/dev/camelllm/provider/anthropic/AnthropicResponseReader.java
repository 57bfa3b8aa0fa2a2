package dev.camelllm.provider.anthropic;

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

/** Reads a Messages API response (and the pieces a stream shares with it: stop reason, usage). */
final class AnthropicResponseReader {

    private AnthropicResponseReader() {
    }

    /** A non-streaming response. {@code requestedModel} is used only when the response names none. */
    static ChatResponse read(JsonNode root, String requestedModel) {
        List<ContentPart> parts = new ArrayList<>();
        boolean hasTextOrTool = false;
        JsonNode content = root.path("content");
        for (JsonNode block : content) {
            String type = Json.text(block, "type");
            if (type == null) {
                continue;
            }
            switch (type) {
                case "text" -> {
                    parts.add(new ContentPart.Text(nonNull(Json.text(block, "text"))));
                    hasTextOrTool = true;
                }
                case "tool_use" -> {
                    JsonNode input = block.get("input");
                    String arguments = input == null || input.isNull() ? "{}" : Json.write(input);
                    parts.add(new ContentPart.ToolUse(new ToolCall(Json.text(block, "id"), Json.text(block, "name"),
                            arguments)));
                    hasTextOrTool = true;
                }
                case "thinking" -> parts.add(new ContentPart.Thinking(Json.text(block, "thinking"),
                        Json.text(block, "signature")));
                case "redacted_thinking" -> parts.add(new ContentPart.RedactedThinking(Json.text(block, "data")));
                default -> {
                    // server tool blocks and future block types carry nothing the neutral types can hold
                }
            }
        }
        if (!hasTextOrTool) {
            // e.g. max_tokens hit while thinking: still an (empty) answer, as a streamed one would be
            parts.add(new ContentPart.Text(""));
        }
        String stopReason = Json.text(root, "stop_reason");
        String model = Json.text(root, "model");
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), finishReason(stopReason), stopReason,
                usage(root.get("usage")), AnthropicProvider.NAME, model != null ? model : requestedModel, -1, 0);
    }

    /** Normalises a stop_reason; an unknown (future) reason still means the answer ended normally. */
    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }

    /** The usage object; cache tokens are reported apart from input_tokens by Anthropic. */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.EMPTY;
        }
        return new Usage(Json.longValue(usage, "input_tokens"), Json.longValue(usage, "output_tokens"),
                Json.longValue(usage, "cache_read_input_tokens"), Json.longValue(usage, "cache_creation_input_tokens"));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
