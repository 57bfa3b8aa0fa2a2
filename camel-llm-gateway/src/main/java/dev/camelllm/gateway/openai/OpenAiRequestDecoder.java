package dev.camelllm.gateway.openai;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.optionalBoolean;
import static dev.camelllm.gateway.format.JsonFields.optionalInt;
import static dev.camelllm.gateway.format.JsonFields.optionalLong;
import static dev.camelllm.gateway.format.JsonFields.optionalNumber;
import static dev.camelllm.gateway.format.JsonFields.optionalObject;
import static dev.camelllm.gateway.format.JsonFields.optionalString;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredObject;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.GatewayRequest;

/**
 * Reads and checks a Chat Completions request body. Fields the gateway has no use for ({@code user},
 * {@code metadata}, {@code store}, {@code parallel_tool_calls}, …) are ignored; fields whose meaning it
 * cannot honour ({@code n} above 1, {@code logprobs}, the legacy {@code functions}) are refused rather than
 * silently dropped.
 *
 * <p>{@code reasoning_effort} becomes a thinking budget in tokens: {@code minimal} 1024 (Anthropic's
 * smallest budget), {@code low} 2048, {@code medium} 8192, {@code high} 24576; {@code none} is 0 (thinking
 * explicitly off). These are the budgets the OpenAI provider maps back to the same efforts. Without the
 * field the request has no budget, so the profile's own setting applies.
 */
final class OpenAiRequestDecoder {

    private static final int MAX_STOP_SEQUENCES = 4;

    private OpenAiRequestDecoder() {
    }

    static GatewayRequest decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid(null, "The request body must be a JSON object");
        }
        String model = requiredNonBlankString(body.get("model"), "model");
        refuseUnsupported(body);

        ChatRequest.Builder chat = ChatRequest.builder()
                .messages(OpenAiMessageDecoder.decode(body.get("messages")))
                .maxTokens(maxTokens(body))
                .temperature(optionalNumber(body.get("temperature"), "temperature", 0, 2))
                .topP(optionalNumber(body.get("top_p"), "top_p", 0, 1))
                .seed(optionalLong(body.get("seed"), "seed"))
                .stopSequences(stop(body.get("stop")))
                .responseFormat(responseFormat(body.get("response_format")))
                .thinkingBudget(thinkingBudget(body.get("reasoning_effort")));
        List<ToolSpec> tools = OpenAiToolDecoder.tools(body.get("tools"));
        chat.tools(tools).toolChoice(OpenAiToolDecoder.toolChoice(body.get("tool_choice"), tools));

        boolean stream = optionalBoolean(body.get("stream"), "stream", false);
        JsonNode streamOptions = optionalObject(body.get("stream_options"), "stream_options");
        boolean includeUsage = streamOptions != null &&
                optionalBoolean(streamOptions.get("include_usage"), "stream_options.include_usage", false);
        return new GatewayRequest(model, chat.build(), stream, stream && includeUsage);
    }

    private static void refuseUnsupported(JsonNode body) {
        JsonNode n = body.get("n");
        if (!absent(n) && !(n.isIntegralNumber() && n.longValue() == 1)) {
            throw GatewayException.invalid("n", "n must be 1: the gateway returns one choice");
        }
        if (optionalBoolean(body.get("logprobs"), "logprobs", false)) {
            throw GatewayException.invalid("logprobs", "logprobs is not supported by the gateway");
        }
        for (String legacy : new String[] {"functions", "function_call"}) {
            if (!absent(body.get(legacy))) {
                throw GatewayException.invalid(legacy, legacy + " is not supported: use tools and tool_choice");
            }
        }
    }

    /** {@code max_completion_tokens} is the current name; {@code max_tokens} the older one many clients still send. */
    private static Integer maxTokens(JsonNode body) {
        Integer completion = optionalInt(body.get("max_completion_tokens"), "max_completion_tokens", 1);
        Integer legacy = optionalInt(body.get("max_tokens"), "max_tokens", 1);
        return completion != null ? completion : legacy;
    }

    private static List<String> stop(JsonNode stop) {
        if (absent(stop)) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (!stop.isArray() || stop.size() > MAX_STOP_SEQUENCES) {
            throw expected("stop", "a string or an array of at most " + MAX_STOP_SEQUENCES + " strings");
        }
        List<String> out = new ArrayList<>(stop.size());
        for (int i = 0; i < stop.size(); i++) {
            out.add(requiredString(stop.get(i), element("stop", i)));
        }
        return out;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (optionalObject(format, "response_format") == null) {
            return null;
        }
        String type = requiredString(format.get("type"), "response_format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> jsonSchema(format.get("json_schema"));
            default -> throw expected("response_format.type", "\"text\", \"json_object\" or \"json_schema\"");
        };
    }

    private static ResponseFormat jsonSchema(JsonNode jsonSchema) {
        String path = "response_format.json_schema";
        requiredObject(jsonSchema, path);
        String name = requiredNonBlankString(jsonSchema.get("name"), field(path, "name"));
        JsonNode schema = optionalObject(jsonSchema.get("schema"), field(path, "schema"));
        // OpenAI's default is not strict, unlike ResponseFormat.jsonSchema's
        boolean strict = optionalBoolean(jsonSchema.get("strict"), field(path, "strict"), false);
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name,
                schema == null ? null : OpenAiToolDecoder.map(schema), strict);
    }

    private static Integer thinkingBudget(JsonNode effort) {
        String value = optionalString(effort, "reasoning_effort");
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "none" -> 0;
            case "minimal" -> 1024;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 24576;
            default -> throw expected("reasoning_effort", "\"none\", \"minimal\", \"low\", \"medium\" or \"high\"");
        };
    }
}
