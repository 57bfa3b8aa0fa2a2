package dev.camelllm.gateway.openai;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.GatewayRequest;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.optionalArray;
import static dev.camelllm.gateway.format.JsonFields.optionalBoolean;
import static dev.camelllm.gateway.format.JsonFields.optionalInt;
import static dev.camelllm.gateway.format.JsonFields.optionalNumber;
import static dev.camelllm.gateway.format.JsonFields.optionalObject;
import static dev.camelllm.gateway.format.JsonFields.optionalString;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredObject;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

/**
 * Reads and checks a Responses API request ({@code POST /v1/responses}). The gateway is stateless: what
 * needs stored responses ({@code previous_response_id}, {@code store: true}, {@code conversation},
 * {@code background}, stored {@code prompt}s) is refused with a 400 that says so, as are hosted tools and
 * {@code top_logprobs}. {@code include}, {@code metadata}, {@code user}, {@code parallel_tool_calls},
 * {@code truncation}, {@code service_tier} and cache keys are ignored: reasoning comes back with its
 * {@code encrypted_content} whenever the upstream gave a signature. {@code reasoning.effort} becomes the same
 * thinking budget as Chat Completions' {@code reasoning_effort}.
 */
final class ResponsesRequestDecoder {

    private ResponsesRequestDecoder() {
    }

    static GatewayRequest decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid(null, "The request body must be a JSON object");
        }
        String model = requiredNonBlankString(body.get("model"), "model");
        refuseStateful(body);
        ChatRequest.Builder chat = ChatRequest.builder()
                .systemPrompt(optionalString(body.get("instructions"), "instructions"))
                .messages(ResponsesInputDecoder.decode(body.get("input")))
                .maxTokens(optionalInt(body.get("max_output_tokens"), "max_output_tokens", 1))
                .temperature(optionalNumber(body.get("temperature"), "temperature", 0, 2))
                .topP(optionalNumber(body.get("top_p"), "top_p", 0, 1))
                .responseFormat(textFormat(body.get("text")))
                .thinkingBudget(thinkingBudget(body.get("reasoning")));
        List<ToolSpec> tools = tools(body.get("tools"));
        chat.tools(tools).toolChoice(toolChoice(body.get("tool_choice"), tools));
        boolean stream = optionalBoolean(body.get("stream"), "stream", false);
        return new GatewayRequest(model, chat.build(), stream, true);
    }

    private static void refuseStateful(JsonNode body) {
        if (!absent(body.get("previous_response_id"))) {
            throw GatewayException.invalid("previous_response_id", "previous_response_id is not supported: this gateway "
                    + "stores no responses; send the whole conversation in input (with store: false)");
        }
        if (optionalBoolean(body.get("store"), "store", false)) {
            throw GatewayException.invalid("store", "store: true is not supported: this gateway stores no responses; "
                    + "send store: false (or leave it out) and the whole conversation in input");
        }
        if (optionalBoolean(body.get("background"), "background", false)) {
            throw GatewayException.invalid("background", "background: true is not supported: the gateway answers in the request");
        }
        for (String stateful : new String[] {"conversation", "prompt"}) {
            if (!absent(body.get(stateful))) {
                throw GatewayException.invalid(stateful, stateful + " is not supported: it refers to state stored at OpenAI");
            }
        }
        if (!absent(body.get("top_logprobs"))) {
            throw GatewayException.invalid("top_logprobs", "top_logprobs is not supported by the gateway");
        }
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        if (optionalArray(tools, "tools") == null) {
            return List.of();
        }
        List<ToolSpec> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String path = element("tools", i);
            JsonNode tool = requiredObject(tools.get(i), path);
            String type = requiredString(tool.get("type"), field(path, "type"));
            if (!"function".equals(type)) {
                throw expected(field(path, "type"), "\"function\" (the gateway passes on function tools only, not " + type + ")");
            }
            String name = requiredNonBlankString(tool.get("name"), field(path, "name"));
            String description = optionalString(tool.get("description"), field(path, "description"));
            JsonNode parameters = optionalObject(tool.get("parameters"), field(path, "parameters"));
            out.add(new ToolSpec(name, description, parameters == null ? null : OpenAiToolDecoder.map(parameters)));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
        if (absent(choice)) {
            return null;
        }
        ToolChoice parsed;
        if (choice.isTextual()) {
            parsed = switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw expected("tool_choice", "\"auto\", \"none\", \"required\" or {\"type\":\"function\",\"name\":…}");
            };
        } else {
            requiredObject(choice, "tool_choice");
            String type = requiredString(choice.get("type"), "tool_choice.type");
            if (!"function".equals(type)) {
                throw expected("tool_choice.type", "\"function\"");
            }
            parsed = ToolChoice.tool(requiredNonBlankString(choice.get("name"), "tool_choice.name"));
        }
        if (parsed.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
            throw GatewayException.invalid("tool_choice", "tool_choice \"required\" needs tools");
        }
        if (parsed.mode() == ToolChoice.Mode.TOOL && tools.stream().noneMatch(t -> t.name().equals(parsed.toolName()))) {
            throw GatewayException.invalid("tool_choice.name", "tool_choice.name must name one of the tools");
        }
        return parsed;
    }

    /** {@code text.format}: text, json_object, or json_schema with its name, schema and strict flag at the same level. */
    private static ResponseFormat textFormat(JsonNode text) {
        if (optionalObject(text, "text") == null) {
            return null;
        }
        JsonNode format = optionalObject(text.get("format"), "text.format");
        if (format == null) {
            return null;
        }
        String type = requiredString(format.get("type"), "text.format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                String name = requiredNonBlankString(format.get("name"), "text.format.name");
                JsonNode schema = optionalObject(format.get("schema"), "text.format.schema");
                boolean strict = optionalBoolean(format.get("strict"), "text.format.strict", false);
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name,
                        schema == null ? null : OpenAiToolDecoder.map(schema), strict);
            }
            default -> throw expected("text.format.type", "\"text\", \"json_object\" or \"json_schema\"");
        };
    }

    private static Integer thinkingBudget(JsonNode reasoning) {
        if (optionalObject(reasoning, "reasoning") == null) {
            return null;
        }
        String effort = optionalString(reasoning.get("effort"), "reasoning.effort");
        if (effort == null) {
            return null;
        }
        return switch (effort) {
            case "none" -> 0;
            case "minimal" -> 1024;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 24576;
            default -> throw expected("reasoning.effort", "\"none\", \"minimal\", \"low\", \"medium\" or \"high\"");
        };
    }
}
