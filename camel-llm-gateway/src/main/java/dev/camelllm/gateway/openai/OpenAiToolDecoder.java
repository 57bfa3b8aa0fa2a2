package dev.camelllm.gateway.openai;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.optionalArray;
import static dev.camelllm.gateway.format.JsonFields.optionalObject;
import static dev.camelllm.gateway.format.JsonFields.optionalString;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredObject;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.spi.Json;

/** Reads {@code tools} and {@code tool_choice}. */
final class OpenAiToolDecoder {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String CHOICES =
            "\"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}";

    private OpenAiToolDecoder() {
    }

    static List<ToolSpec> tools(JsonNode tools) {
        if (optionalArray(tools, "tools") == null) {
            return List.of();
        }
        List<ToolSpec> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            out.add(tool(tools.get(i), element("tools", i)));
        }
        return out;
    }

    private static ToolSpec tool(JsonNode tool, String path) {
        requiredObject(tool, path);
        String type = requiredString(tool.get("type"), field(path, "type"));
        if (!"function".equals(type)) {
            throw expected(field(path, "type"), "\"function\" (the gateway only passes on function tools)");
        }
        String fnPath = field(path, "function");
        JsonNode fn = requiredObject(tool.get("function"), fnPath);
        String name = requiredNonBlankString(fn.get("name"), field(fnPath, "name"));
        String description = optionalString(fn.get("description"), field(fnPath, "description"));
        JsonNode parameters = optionalObject(fn.get("parameters"), field(fnPath, "parameters"));
        return new ToolSpec(name, description, parameters == null ? null : map(parameters));
    }

    static Map<String, Object> map(JsonNode object) {
        return Json.MAPPER.convertValue(object, MAP);
    }

    /** The tool choice, checked against the tools: a named tool must be one of them. */
    static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
        if (absent(choice)) {
            return null;
        }
        ToolChoice parsed = parse(choice);
        if (parsed.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
            throw GatewayException.invalid("tool_choice", "tool_choice \"required\" needs tools");
        }
        if (parsed.mode() == ToolChoice.Mode.TOOL
                && tools.stream().noneMatch(t -> t.name().equals(parsed.toolName()))) {
            throw GatewayException.invalid("tool_choice.function.name",
                    "tool_choice.function.name must name one of the tools");
        }
        return parsed;
    }

    private static ToolChoice parse(JsonNode choice) {
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw expected("tool_choice", CHOICES);
            };
        }
        if (!choice.isObject()) {
            throw expected("tool_choice", CHOICES);
        }
        String type = requiredString(choice.get("type"), "tool_choice.type");
        if (!"function".equals(type)) {
            throw expected("tool_choice.type", "\"function\"");
        }
        JsonNode fn = requiredObject(choice.get("function"), "tool_choice.function");
        return ToolChoice.tool(requiredNonBlankString(fn.get("name"), "tool_choice.function.name"));
    }
}
