package dev.camelllm.provider.gemini;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/**
 * Writes a {@link ChatRequest} as a Gemini {@code GenerateContentRequest}: {@code contents} of user and
 * model turns, {@code systemInstruction}, {@code tools.functionDeclarations}, {@code toolConfig} and
 * {@code generationConfig} (with {@code thinkingConfig}). Every signature the model sent (on a function
 * call or a thought) goes back exactly as it came.
 */
final class GeminiRequestWriter {

    /**
     * The value Google documents for a function call whose signature was lost (a conversation that came
     * from another model, or through a client that drops it): Gemini 3 accepts it instead of a 400.
     */
    static final String UNSIGNED_CALL = "skip_thought_signature_validator";

    private final GeminiOptions options;

    GeminiRequestWriter(GeminiOptions options) {
        this.options = options;
    }

    ObjectNode write(ChatRequest request, String model) {
        ObjectNode root = Json.object();
        String system = request.effectiveSystemPrompt();
        if (system != null) {
            root.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
        }
        root.set("contents", contents(request.messages(), model));
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolSpec spec : request.tools()) {
                ObjectNode fn = declarations.addObject().put("name", spec.name());
                if (spec.description() != null) {
                    fn.put("description", spec.description());
                }
                // full JSON Schema, as the tool declares it (parameters takes only an OpenAPI subset)
                fn.set("parametersJsonSchema", Json.MAPPER.valueToTree(spec.parameters()));
            }
            if (request.toolChoice() != null) {
                toolConfig(root, request.toolChoice());
            }
        }
        ObjectNode config = generationConfig(request);
        if (!config.isEmpty()) {
            root.set("generationConfig", config);
        }
        return root;
    }

    private ObjectNode generationConfig(ChatRequest request) {
        ObjectNode config = Json.object();
        if (request.maxTokens() != null) {
            config.put("maxOutputTokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            config.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            config.put("topP", request.topP());
        }
        if (request.topK() != null) {
            config.put("topK", request.topK());
        }
        if (!request.stopSequences().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            request.stopSequences().forEach(stop::add);
        }
        if (request.seed() != null) {
            config.put("seed", request.seed());
        }
        responseFormat(config, request.responseFormat());
        ObjectNode thinking = Json.object();
        Integer budget = request.thinkingBudget() != null ? request.thinkingBudget() : options.thinkingBudget();
        if (budget != null) {
            // 0 turns thinking off where the model allows it, -1 lets the model decide
            thinking.put("thinkingBudget", budget);
        }
        if (options.thinkingLevel() != null) {
            thinking.put("thinkingLevel", options.thinkingLevel());
        }
        boolean thinks = (budget != null && budget != 0) || options.thinkingLevel() != null;
        Boolean include = options.includeThoughts();
        if (include != null ? include : thinks) {
            thinking.put("includeThoughts", true);
        }
        if (!thinking.isEmpty()) {
            config.set("thinkingConfig", thinking);
        }
        return config;
    }

    private static void responseFormat(ObjectNode config, ResponseFormat format) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            return;
        }
        config.put("responseMimeType", "application/json");
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
            // JSON Schema as given (responseSchema takes only an OpenAPI subset)
            config.set("responseJsonSchema", Json.MAPPER.valueToTree(format.schema()));
        }
    }

    private static void toolConfig(ObjectNode root, ToolChoice choice) {
        ObjectNode fcc = root.putObject("toolConfig").putObject("functionCallingConfig");
        switch (choice.mode()) {
            case AUTO -> fcc.put("mode", "AUTO");
            case NONE -> fcc.put("mode", "NONE");
            case REQUIRED -> fcc.put("mode", "ANY");
            case TOOL -> {
                fcc.put("mode", "ANY");
                fcc.putArray("allowedFunctionNames").add(choice.toolName());
            }
            default -> throw new IllegalStateException("unknown tool choice " + choice.mode());
        }
    }

    private static ArrayNode contents(List<ChatMessage> messages, String model) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        // a functionResponse names its function; our tool results name the call, so remember each call's name
        Map<String, String> callNames = new HashMap<>();
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> {
                    // in systemInstruction
                }
                case ASSISTANT -> model(out, m, callNames);
                case USER, TOOL -> user(out, m, callNames, model);
                default -> throw new IllegalStateException("unknown role " + m.role());
            }
        }
        return out;
    }

    /**
     * A model turn. A signature read from a text part (it closes a thinking part in our answers) goes
     * back on the text that follows it, where Gemini put it; with no text after it, on a thought part
     * with its summary; an unsigned summary is left out (Gemini reads nothing from it).
     */
    private static void model(ArrayNode out, ChatMessage m, Map<String, String> callNames) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        boolean signed = m.toolCalls().stream().anyMatch(c -> c.signature() != null);
        boolean firstCall = true;
        ContentPart.Thinking pending = null;
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.Thinking t && t.signature() != null) {
                flushThought(parts, pending);
                pending = t;
            } else if (p instanceof ContentPart.Text t && !t.text().isEmpty()) {
                ObjectNode part = parts.addObject().put("text", t.text());
                if (pending != null) {
                    part.put("thoughtSignature", pending.signature());
                    pending = null;
                }
            } else if (p instanceof ContentPart.ToolUse use) {
                flushThought(parts, pending);
                pending = null;
                ToolCall call = use.call();
                if (call.id() != null) {
                    callNames.put(call.id(), call.name());
                }
                ObjectNode part = parts.addObject();
                part.putObject("functionCall").put("name", call.name()).set("args", arguments(call));
                String signature = call.signature() != null ? call.signature()
                        : !signed && firstCall ? UNSIGNED_CALL : null;
                if (signature != null) {
                    part.put("thoughtSignature", signature);
                }
                firstCall = false;
            }
        }
        flushThought(parts, pending);
        if (!parts.isEmpty()) {
            out.addObject().put("role", "model").set("parts", parts);
        }
    }

    private static void flushThought(ArrayNode parts, ContentPart.Thinking t) {
        if (t != null && !t.text().isEmpty()) {
            parts.addObject().put("text", t.text()).put("thought", true).put("thoughtSignature", t.signature());
        }
    }

    private static void user(ArrayNode out, ChatMessage m, Map<String, String> callNames, String model) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.ToolResult r) {
                String name = callNames.get(r.toolCallId());
                if (name == null) {
                    throw new LlmInvalidRequestException(GeminiProviderFactory.NAME, model, "the tool result for call '"
                            + r.toolCallId() + "' follows no tool call of that id: Gemini needs the function's name");
                }
                ObjectNode fr = parts.addObject().putObject("functionResponse").put("name", name);
                fr.set("response", response(r));
            } else if (p instanceof ContentPart.Text t) {
                parts.addObject().put("text", t.text());
            } else if (p instanceof ContentPart.Image img) {
                if (img.url() != null) {
                    ObjectNode file = parts.addObject().putObject("fileData").put("fileUri", img.url());
                    if (img.mediaType() != null) {
                        file.put("mimeType", img.mediaType());
                    }
                } else {
                    parts.addObject().putObject("inlineData")
                            .put("mimeType", img.mediaType() == null ? "image/png" : img.mediaType())
                            .put("data", img.base64Data());
                }
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        // tool results and the user's next words are one user turn; Gemini wants turns to alternate
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && "user".equals(Json.text(last, "role"))) {
            ((ArrayNode) last.get("parts")).addAll(parts);
        } else {
            out.addObject().put("role", "user").set("parts", parts);
        }
    }

    /** A JSON object result as it is; anything else wrapped, since {@code response} must be an object. */
    private static JsonNode response(ContentPart.ToolResult r) {
        if (!r.isError()) {
            try {
                JsonNode parsed = Json.parse(r.content());
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (Exception e) {
                // plain text
            }
        }
        return Json.object().put(r.isError() ? "error" : "result", r.content());
    }

    private static JsonNode arguments(ToolCall call) {
        try {
            JsonNode args = Json.parse(call.arguments());
            return args != null && args.isObject() ? args : Json.object();
        } catch (Exception e) {
            throw new LlmInvalidRequestException(GeminiProviderFactory.NAME, null, "the arguments of tool call '"
                    + call.name() + "' are not a JSON object");
        }
    }
}
