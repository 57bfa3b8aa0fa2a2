package dev.camelllm.provider.anthropic;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/** Writes a {@link ChatRequest} as the JSON body of {@code POST /v1/messages}. */
final class AnthropicRequestWriter {

    /** Rejects "{}x" and the like, which a plain readTree would accept. */
    static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AnthropicRequestWriter() {
    }

    /**
     * The request body. {@code model}, {@code maxTokens} and {@code thinkingBudget} are the effective values
     * (request over provider defaults), already validated by the caller.
     */
    static ObjectNode write(ChatRequest request, String model, int maxTokens, int thinkingBudget, boolean stream) {
        ObjectNode root = Json.object();
        root.put("model", model);
        root.put("max_tokens", maxTokens);
        String system = system(request);
        if (system != null) {
            root.put("system", system);
        }
        root.set("messages", messages(request.messages(), model));
        if (!request.stopSequences().isEmpty()) {
            ArrayNode stops = root.putArray("stop_sequences");
            request.stopSequences().forEach(stops::add);
        }
        if (request.temperature() != null) {
            root.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            root.put("top_p", request.topP());
        }
        if (request.topK() != null) {
            root.put("top_k", request.topK());
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                ObjectNode tool = tools.addObject();
                tool.put("name", spec.name());
                if (spec.description() != null) {
                    tool.put("description", spec.description());
                }
                tool.set("input_schema", Json.MAPPER.valueToTree(spec.parameters()));
            }
            // the API rejects a tool_choice without tools, so it only goes along with them
            if (request.toolChoice() != null) {
                root.set("tool_choice", toolChoice(request.toolChoice()));
            }
        }
        if (thinkingBudget > 0) {
            ObjectNode thinking = root.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", thinkingBudget);
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
            // structured outputs (GA): the model's text is constrained to the schema; no beta header needed
            ObjectNode fmt = root.putObject("output_config").putObject("format");
            fmt.put("type", "json_schema");
            fmt.set("schema", Json.MAPPER.valueToTree(format.schema()));
        }
        if (stream) {
            root.put("stream", true);
        }
        return root;
    }

    /**
     * The system prompt. A JSON schema goes natively as output_config.format; the Messages API has no JSON mode
     * without a schema, so json_object is asked for in the system prompt (the component validates the answer and
     * re-asks when it is not a JSON object).
     */
    private static String system(ChatRequest request) {
        String system = request.effectiveSystemPrompt();
        ResponseFormat format = request.responseFormat();
        if (format == null || format.type() != ResponseFormat.Type.JSON_OBJECT) {
            return system;
        }
        String instruction = "Answer with a single JSON object only, with no text before or after it and no code fences.";
        return system == null ? instruction : system + "\n\n" + instruction;
    }

    private static ObjectNode toolChoice(ToolChoice choice) {
        ObjectNode node = Json.object();
        switch (choice.mode()) {
            case AUTO -> node.put("type", "auto");
            case NONE -> node.put("type", "none");
            case REQUIRED -> node.put("type", "any");
            case TOOL -> {
                node.put("type", "tool");
                node.put("name", choice.toolName());
            }
            default -> throw new IllegalStateException("unknown tool choice " + choice.mode());
        }
        return node;
    }

    /**
     * SYSTEM messages go to the top-level system field; TOOL messages become tool_result blocks of a user
     * message. Consecutive messages of one wire role are merged into one message, as the API itself does,
     * so that all results of one assistant turn's tool calls arrive in the very next user message.
     */
    private static ArrayNode messages(List<ChatMessage> messages, String model) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.role() == Role.SYSTEM) {
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
            ArrayNode blocks = blocks(m, i, model);
            if (blocks.isEmpty()) {
                continue;
            }
            if (!role.equals(lastRole)) {
                ObjectNode message = out.addObject();
                message.put("role", role);
                lastContent = message.putArray("content");
                lastRole = role;
            }
            lastContent.addAll(blocks);
        }
        return out;
    }

    private static ArrayNode blocks(ChatMessage m, int index, String model) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        boolean assistant = m.role() == Role.ASSISTANT;
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t) {
                // the API rejects empty text blocks; an answer that was only a tool call has one
                if (!t.text().isBlank()) {
                    ObjectNode b = blocks.addObject();
                    b.put("type", "text");
                    b.put("text", t.text());
                }
            } else if (part instanceof ContentPart.Image img) {
                blocks.add(image(img, index, model));
            } else if (part instanceof ContentPart.ToolUse u) {
                if (!assistant) {
                    throw invalid(model, "Message " + index + " (" + m.role() + ") has a tool call: only assistant messages can");
                }
                ObjectNode b = blocks.addObject();
                b.put("type", "tool_use");
                b.put("id", u.call().id());
                b.put("name", u.call().name());
                b.set("input", toolInput(u.call().arguments(), index, model));
            } else if (part instanceof ContentPart.ToolResult r) {
                if (assistant) {
                    throw invalid(model, "Message " + index + " (ASSISTANT) has a tool result: send it as a TOOL message");
                }
                ObjectNode b = blocks.addObject();
                b.put("type", "tool_result");
                b.put("tool_use_id", r.toolCallId());
                b.put("content", r.content());
                if (r.isError()) {
                    b.put("is_error", true);
                }
            } else if (part instanceof ContentPart.Thinking t) {
                // echoed unchanged, as a tool loop requires; thinking without a signature (another provider's
                // reasoning) cannot be verified by the API and is left out
                if (assistant && t.signature() != null) {
                    ObjectNode b = blocks.addObject();
                    b.put("type", "thinking");
                    b.put("thinking", t.text());
                    b.put("signature", t.signature());
                }
            } else if (part instanceof ContentPart.RedactedThinking r) {
                if (assistant && r.data() != null) {
                    ObjectNode b = blocks.addObject();
                    b.put("type", "redacted_thinking");
                    b.put("data", r.data());
                }
            }
        }
        return blocks;
    }

    private static ObjectNode image(ContentPart.Image img, int index, String model) {
        ObjectNode b = Json.object();
        b.put("type", "image");
        ObjectNode source = b.putObject("source");
        if (img.url() != null) {
            source.put("type", "url");
            source.put("url", img.url());
        } else {
            if (img.mediaType() == null || img.mediaType().isBlank()) {
                throw invalid(model, "Message " + index + " has a base64 image without a media type (e.g. image/png)");
            }
            source.put("type", "base64");
            source.put("media_type", img.mediaType());
            source.put("data", img.base64Data());
        }
        return b;
    }

    private static JsonNode toolInput(String arguments, int index, String model) {
        JsonNode input;
        try {
            input = STRICT.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw invalid(model, "Message " + index + " has a tool call whose arguments are not JSON: " + e.getOriginalMessage());
        }
        if (input == null || !input.isObject()) {
            throw invalid(model, "Message " + index + " has a tool call whose arguments are not a JSON object");
        }
        return input;
    }

    private static LlmInvalidRequestException invalid(String model, String message) {
        return new LlmInvalidRequestException(AnthropicProvider.NAME, model, message);
    }
}
