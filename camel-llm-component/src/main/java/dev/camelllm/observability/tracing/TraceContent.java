package dev.camelllm.observability.tracing;

import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.Json;

/**
 * Prompt and completion as the GenAI conventions' message JSON ({"role", "parts": [{"type": "text",
 * "content"}]}), only for endpoints with traceContent=true. Each text is bounded, since a span attribute
 * travels whole to the collector; keys the call knows are removed like in the request log.
 */
final class TraceContent {

    /** Characters kept of each attribute's JSON; backends drop far smaller attributes than a long prompt. */
    static final int MAX_CHARS = 16 * 1024;

    private TraceContent() {
    }

    static String input(ChatRequest request, UnaryOperator<String> redact) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ChatMessage m : request.messages()) {
            out.add(message(m, redact));
        }
        return bounded(Json.write(out));
    }

    static String system(ChatRequest request, UnaryOperator<String> redact) {
        String system = request.systemPrompt();
        if (system == null || system.isBlank()) {
            return null;
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        out.addObject().put("type", "text").put("content", redact.apply(system));
        return bounded(Json.write(out));
    }

    static String output(ChatResponse response, UnaryOperator<String> redact) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        ObjectNode m = message(response.message(), redact);
        if (response.finishReason() != null) {
            m.put("finish_reason", response.finishReason().value());
        }
        out.add(m);
        return bounded(Json.write(out));
    }

    private static ObjectNode message(ChatMessage m, UnaryOperator<String> redact) {
        ObjectNode node = Json.object();
        node.put("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode parts = node.putArray("parts");
        String text = m.text();
        if (text != null && !text.isEmpty()) {
            parts.addObject().put("type", "text").put("content", redact.apply(text));
        }
        List<ToolCall> calls = m.toolCalls();
        for (ToolCall c : calls) {
            parts.addObject().put("type", "tool_call").put("id", c.id()).put("name", c.name())
                    .put("arguments", redact.apply(c.arguments()));
        }
        return node;
    }

    /** Cut to MAX_CHARS with a marker: the attribute is then no longer valid JSON, and says so. */
    static String bounded(String json) {
        if (json.length() <= MAX_CHARS) {
            return json;
        }
        return json.substring(0, MAX_CHARS) + "…[truncated " + (json.length() - MAX_CHARS) + " chars]";
    }
}
