package dev.camelllm.gateway.anthropic;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.JsonFields;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.spi.Json;

/**
 * Reads and checks the body of {@code POST /v1/messages}. Fields the neutral request has no place for
 * ({@code metadata}, {@code service_tier}, {@code cache_control}, {@code container}, …) are ignored, as are
 * unknown ones.
 */
final class AnthropicRequestDecoder {

    /** The Messages API's smallest thinking budget. */
    static final int MIN_THINKING_BUDGET = 1024;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private AnthropicRequestDecoder() {
    }

    static GatewayRequest decode(JsonNode body) {
        requireObject(body);
        String model = JsonFields.requiredNonBlankString(body.get("model"), "model");
        int maxTokens = JsonFields.requiredInt(body.get("max_tokens"), "max_tokens", 1);
        ChatRequest chat = chat(body, maxTokens);
        boolean stream = JsonFields.optionalBoolean(body.get("stream"), "stream", false);
        // every Anthropic stream carries usage (message_start, message_delta): there is no opt-in to honour
        return new GatewayRequest(model, chat, stream, true);
    }

    /** count_tokens takes a Messages request without max_tokens (a thinking budget is then checked from below only). */
    static GatewayRequest decodeTokenCount(JsonNode body) {
        requireObject(body);
        String model = JsonFields.requiredNonBlankString(body.get("model"), "model");
        Integer maxTokens = JsonFields.optionalInt(body.get("max_tokens"), "max_tokens", 1);
        return new GatewayRequest(model, chat(body, maxTokens), false, false);
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid(null, "The request body must be a JSON object");
        }
    }

    private static ChatRequest chat(JsonNode body, Integer maxTokens) {
        return ChatRequest.builder()
                .systemPrompt(system(body.get("system")))
                .messages(AnthropicMessageDecoder.decode(body.get("messages")))
                .maxTokens(maxTokens)
                .temperature(JsonFields.optionalNumber(body.get("temperature"), "temperature", 0, 1))
                .topP(JsonFields.optionalNumber(body.get("top_p"), "top_p", 0, 1))
                .topK(JsonFields.optionalInt(body.get("top_k"), "top_k", 1))
                .stopSequences(stopSequences(body.get("stop_sequences")))
                .tools(tools(body.get("tools")))
                .toolChoice(toolChoice(body.get("tool_choice")))
                .thinkingBudget(thinkingBudget(body.get("thinking"), maxTokens != null ? maxTokens : Integer.MAX_VALUE))
                .responseFormat(outputFormat(body))
                .build();
    }

    /**
     * Structured outputs: output_config.format (GA), or output_format (the beta of November 2025), each
     * {type: json_schema, schema}. The answer is then validated (and re-asked) whatever the upstream.
     */
    private static ResponseFormat outputFormat(JsonNode body) {
        JsonNode config = body.get("output_config");
        String path = "output_config.format";
        JsonNode format = null;
        if (!absent(config)) {
            format = JsonFields.requiredObject(config, "output_config").get("format");
        }
        if (absent(format) && !absent(body.get("output_format"))) {
            path = "output_format";
            format = body.get("output_format");
        }
        if (absent(format)) {
            return null;
        }
        JsonFields.requiredObject(format, path);
        String type = JsonFields.requiredString(format.get("type"), field(path, "type"));
        if (!"json_schema".equals(type)) {
            throw JsonFields.expected(field(path, "type"), "\"json_schema\"");
        }
        JsonNode schema = JsonFields.requiredObject(format.get("schema"), field(path, "schema"));
        return ResponseFormat.jsonSchema("response", Json.MAPPER.convertValue(schema, MAP));
    }

    /** A string, or text blocks joined by blank lines; null when empty. */
    private static String system(JsonNode system) {
        if (absent(system)) {
            return null;
        }
        if (system.isTextual()) {
            return system.textValue().isEmpty() ? null : system.textValue();
        }
        if (!system.isArray()) {
            throw JsonFields.expected("system", "a string or an array of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < system.size(); i++) {
            String path = element("system", i);
            JsonNode block = JsonFields.requiredObject(system.get(i), path);
            String type = JsonFields.requiredString(block.get("type"), field(path, "type"));
            if (!"text".equals(type)) {
                throw JsonFields.expected(field(path, "type"), "\"text\"");
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(JsonFields.requiredString(block.get("text"), field(path, "text")));
        }
        return text.isEmpty() ? null : text.toString();
    }

    private static List<String> stopSequences(JsonNode value) {
        if (absent(value)) {
            return null;
        }
        JsonFields.requiredArray(value, "stop_sequences");
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            stops.add(JsonFields.requiredString(value.get(i), element("stop_sequences", i)));
        }
        return stops;
    }

    private static List<ToolSpec> tools(JsonNode value) {
        if (absent(value)) {
            return null;
        }
        JsonFields.requiredArray(value, "tools");
        List<ToolSpec> tools = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String path = element("tools", i);
            JsonNode tool = JsonFields.requiredObject(value.get(i), path);
            String type = JsonFields.optionalString(tool.get("type"), field(path, "type"));
            if (type != null && !"custom".equals(type)) {
                // server tools (web search, code execution, …) run at Anthropic; no upstream here can run them
                throw GatewayException.invalid(field(path, "type"), field(path, "type") + " \"" + type
                        + "\" is a server tool, which this gateway does not support: only custom tools"
                        + " (name, description, input_schema)");
            }
            String name = JsonFields.requiredNonBlankString(tool.get("name"), field(path, "name"));
            String description = JsonFields.optionalString(tool.get("description"), field(path, "description"));
            JsonNode schema = JsonFields.requiredObject(tool.get("input_schema"), field(path, "input_schema"));
            tools.add(new ToolSpec(name, description, Json.MAPPER.convertValue(schema, MAP)));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonNode value) {
        if (absent(value)) {
            return null;
        }
        JsonNode choice = JsonFields.requiredObject(value, "tool_choice");
        String type = JsonFields.requiredString(choice.get("type"), "tool_choice.type");
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> ToolChoice.tool(JsonFields.requiredNonBlankString(choice.get("name"), "tool_choice.name"));
            default -> throw JsonFields.expected("tool_choice.type", "one of \"auto\", \"any\", \"none\", \"tool\"");
        };
    }

    /**
     * The thinking budget. {@code enabled} takes {@code budget_tokens} as given (at least 1024, below
     * max_tokens, as the Messages API demands). {@code adaptive} (newer models decide themselves how much to
     * think) has no budget to pass on: it becomes half of max_tokens, at least 1024, or no thinking at all
     * when max_tokens leaves no room for 1024.
     */
    private static Integer thinkingBudget(JsonNode value, int maxTokens) {
        if (absent(value)) {
            return null;
        }
        JsonNode thinking = JsonFields.requiredObject(value, "thinking");
        String type = JsonFields.requiredString(thinking.get("type"), "thinking.type");
        return switch (type) {
            case "disabled" -> null;
            case "enabled" -> {
                int budget = JsonFields.requiredInt(thinking.get("budget_tokens"), "thinking.budget_tokens",
                        MIN_THINKING_BUDGET);
                if (budget >= maxTokens) {
                    throw GatewayException.invalid("thinking.budget_tokens", "thinking.budget_tokens (" + budget
                            + ") must be less than max_tokens (" + maxTokens + ")");
                }
                yield budget;
            }
            case "adaptive" -> {
                int budget = Math.max(maxTokens / 2, MIN_THINKING_BUDGET);
                yield budget < maxTokens ? budget : null;
            }
            default -> throw JsonFields.expected("thinking.type", "one of \"enabled\", \"disabled\", \"adaptive\"");
        };
    }
}
