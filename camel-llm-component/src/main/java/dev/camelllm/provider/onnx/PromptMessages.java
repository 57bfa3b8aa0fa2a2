package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/**
 * A {@link ChatRequest} in the shape chat templates expect, as transformers' apply_chat_template gets it:
 * messages as maps (role, content, reasoning_content, tool_calls [{id, type: function, function: {name,
 * arguments as an object}}], tool_call_id, name), tools as {type: function, function: {name,
 * description, parameters}}, and the enable_thinking flag.
 */
final class PromptMessages {

    private PromptMessages() {
    }

    static List<Map<String, Object>> messages(ChatRequest request, String model) {
        List<Map<String, Object>> out = new ArrayList<>();
        String system = request.effectiveSystemPrompt();
        if (system != null) {
            out.add(message("system", system));
        }
        Map<String, String> toolNames = new HashMap<>();
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> {
                    // already joined into the one system message
                }
                case USER -> user(m, out, toolNames, model);
                case ASSISTANT -> out.add(assistant(m, toolNames));
                case TOOL -> toolResults(m, out, toolNames);
                default -> throw new IllegalStateException("role " + m.role());
            }
        }
        return out;
    }

    private static void user(ChatMessage m, List<Map<String, Object>> out, Map<String, String> toolNames, String model) {
        if (!m.partsOf(ContentPart.Image.class).isEmpty()) {
            throw new LlmInvalidRequestException(OnnxOptions.PROVIDER, model,
                    "this local model takes text only; the message has an image");
        }
        // a user turn may carry tool results (Anthropic style): they become tool messages first
        toolResults(m, out, toolNames);
        String text = m.text();
        if (!text.isEmpty() || m.partsOf(ContentPart.ToolResult.class).isEmpty()) {
            out.add(message("user", text));
        }
    }

    private static Map<String, Object> assistant(ChatMessage m, Map<String, String> toolNames) {
        Map<String, Object> msg = message("assistant", m.text());
        String thinking = m.thinking();
        if (thinking != null && !thinking.isEmpty()) {
            msg.put("reasoning_content", thinking);
        }
        List<ToolCall> calls = m.toolCalls();
        if (!calls.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (ToolCall call : calls) {
                Map<String, Object> function = new LinkedHashMap<>();
                function.put("name", call.name());
                function.put("arguments", arguments(call.arguments()));
                Map<String, Object> c = new LinkedHashMap<>();
                if (call.id() != null) {
                    c.put("id", call.id());
                    toolNames.put(call.id(), call.name());
                }
                c.put("type", "function");
                c.put("function", function);
                list.add(c);
            }
            msg.put("tool_calls", list);
        }
        return msg;
    }

    private static void toolResults(ChatMessage m, List<Map<String, Object>> out, Map<String, String> toolNames) {
        for (ContentPart.ToolResult r : m.partsOf(ContentPart.ToolResult.class)) {
            Map<String, Object> msg = message("tool", r.content());
            msg.put("tool_call_id", r.toolCallId());
            String name = toolNames.get(r.toolCallId());
            if (name != null) {
                msg.put("name", name);
            }
            out.add(msg);
        }
    }

    /** Templates write arguments with tojson, so they get the object; a string that is not JSON stays a string. */
    private static Object arguments(String json) {
        try {
            JsonNode node = Json.parse(json);
            if (node.isObject()) {
                return Json.MAPPER.convertValue(node, LinkedHashMap.class);
            }
        } catch (Exception e) {
            // not JSON: pass it through as text
        }
        return json;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content == null ? "" : content);
        return m;
    }

    /** Null when the request has no tools or tool choice is none. */
    static List<Map<String, Object>> tools(ChatRequest request) {
        if (request.tools().isEmpty() || (request.toolChoice() != null && request.toolChoice().mode() == ToolChoice.Mode.NONE)) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ToolSpec spec : request.tools()) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", spec.name());
            if (spec.description() != null) {
                function.put("description", spec.description());
            }
            function.put("parameters", spec.parameters());
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("function", function);
            out.add(tool);
        }
        return out;
    }

    /**
     * enable_thinking: a request's thinking budget decides (0 off, more on), else the endpoint's
     * enableThinking option, else it stays undefined and the template's default applies.
     */
    static Map<String, Object> variables(ChatRequest request, Boolean enableThinking) {
        Map<String, Object> vars = new HashMap<>();
        if (request.thinkingBudget() != null) {
            vars.put("enable_thinking", request.thinkingBudget() > 0);
        } else if (enableThinking != null) {
            vars.put("enable_thinking", enableThinking);
        }
        return vars;
    }
}
