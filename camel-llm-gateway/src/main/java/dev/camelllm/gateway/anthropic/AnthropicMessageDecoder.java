package dev.camelllm.gateway.anthropic;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.field;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.JsonFields;
import dev.camelllm.spi.Json;

/**
 * Reads the {@code messages} array of a Messages API request into neutral messages. The neutral model keeps
 * tool results in TOOL messages, where Anthropic puts tool_result blocks into a user message: a user message
 * with tool results becomes a TOOL message with the results, followed by a USER message with the rest of its
 * content (if any). The provider writers merge them back into one user message.
 */
final class AnthropicMessageDecoder {

    private AnthropicMessageDecoder() {
    }

    static List<ChatMessage> decode(JsonNode messages) {
        JsonFields.requiredArray(messages, "messages");
        if (messages.isEmpty()) {
            throw GatewayException.invalid("messages", "messages must hold at least one message");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String path = element("messages", i);
            JsonNode message = JsonFields.requiredObject(messages.get(i), path);
            String rolePath = field(path, "role");
            String role = JsonFields.requiredString(message.get("role"), rolePath);
            boolean assistant = switch (role) {
                case "user" -> false;
                case "assistant" -> true;
                case "system" -> throw GatewayException.invalid(rolePath, rolePath
                        + " cannot be \"system\": the Messages API takes the system prompt in the top-level system field");
                default -> throw JsonFields.expected(rolePath, "\"user\" or \"assistant\"");
            };
            List<ContentPart> parts = content(message.get("content"), field(path, "content"), assistant);
            if (assistant) {
                out.add(new ChatMessage(Role.ASSISTANT, parts));
            } else {
                addUser(out, parts);
            }
        }
        return out;
    }

    /** Tool results first, as a TOOL message, then whatever else the user sent. */
    private static void addUser(List<ChatMessage> out, List<ContentPart> parts) {
        List<ContentPart> results = new ArrayList<>();
        List<ContentPart> rest = new ArrayList<>();
        for (ContentPart part : parts) {
            (part instanceof ContentPart.ToolResult ? results : rest).add(part);
        }
        if (!results.isEmpty()) {
            out.add(new ChatMessage(Role.TOOL, results));
        }
        if (!rest.isEmpty() || results.isEmpty()) {
            out.add(new ChatMessage(Role.USER, rest));
        }
    }

    private static List<ContentPart> content(JsonNode content, String path, boolean assistant) {
        if (absent(content)) {
            throw JsonFields.missing(path);
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw JsonFields.expected(path, "a string or an array of content blocks");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            parts.add(block(content.get(j), element(path, j), assistant));
        }
        return parts;
    }

    private static ContentPart block(JsonNode value, String path, boolean assistant) {
        JsonNode block = JsonFields.requiredObject(value, path);
        String typePath = field(path, "type");
        String type = JsonFields.requiredString(block.get("type"), typePath);
        return switch (type) {
            case "text" -> new ContentPart.Text(JsonFields.requiredString(block.get("text"), field(path, "text")));
            case "image" -> image(block.get("source"), field(path, "source"));
            case "tool_use" -> {
                onlyIn(assistant, true, path, type);
                yield toolUse(block, path);
            }
            case "tool_result" -> {
                onlyIn(assistant, false, path, type);
                yield toolResult(block, path);
            }
            case "thinking" -> {
                onlyIn(assistant, true, path, type);
                // an empty signature is what a client echoes for thinking that had none (a non-Anthropic
                // upstream's reasoning): it is no signature, and must not reach Anthropic as one
                String signature = JsonFields.optionalString(block.get("signature"), field(path, "signature"));
                String thinking = JsonFields.requiredString(block.get("thinking"), field(path, "thinking"));
                yield new ContentPart.Thinking(thinking, signature == null || signature.isEmpty() ? null : signature);
            }
            case "redacted_thinking" -> {
                onlyIn(assistant, true, path, type);
                yield new ContentPart.RedactedThinking(
                        JsonFields.requiredString(block.get("data"), field(path, "data")));
            }
            default -> throw GatewayException.invalid(typePath, typePath + " \"" + type
                    + "\" is not supported: expected text, image, tool_use, tool_result, thinking or redacted_thinking");
        };
    }

    private static void onlyIn(boolean assistant, boolean mustBeAssistant, String path, String type) {
        if (assistant != mustBeAssistant) {
            String allowed = mustBeAssistant ? "assistant" : "user";
            throw GatewayException.invalid(field(path, "type"),
                    path + " is a " + type + " block, which only " + allowed + " messages can hold");
        }
    }

    private static ContentPart.Image image(JsonNode value, String path) {
        JsonNode source = JsonFields.requiredObject(value, path);
        String typePath = field(path, "type");
        String type = JsonFields.requiredString(source.get("type"), typePath);
        return switch (type) {
            case "base64" -> ContentPart.Image.ofBase64(
                    JsonFields.requiredNonBlankString(source.get("media_type"), field(path, "media_type")),
                    JsonFields.requiredString(source.get("data"), field(path, "data")));
            case "url" -> ContentPart.Image.ofUrl(
                    JsonFields.requiredNonBlankString(source.get("url"), field(path, "url")));
            default -> throw GatewayException.invalid(typePath, typePath + " \"" + type
                    + "\" is not supported: expected base64 or url");
        };
    }

    private static ContentPart.ToolUse toolUse(JsonNode block, String path) {
        String id = JsonFields.requiredNonBlankString(block.get("id"), field(path, "id"));
        String name = JsonFields.requiredNonBlankString(block.get("name"), field(path, "name"));
        JsonNode input = block.get("input");
        String arguments;
        if (absent(input)) {
            arguments = "{}";
        } else if (input.isObject()) {
            arguments = Json.write(input);
        } else {
            throw JsonFields.expected(field(path, "input"), "an object");
        }
        return new ContentPart.ToolUse(new ToolCall(id, name, arguments));
    }

    private static ContentPart.ToolResult toolResult(JsonNode block, String path) {
        String id = JsonFields.requiredNonBlankString(block.get("tool_use_id"), field(path, "tool_use_id"));
        boolean isError = JsonFields.optionalBoolean(block.get("is_error"), field(path, "is_error"), false);
        return new ContentPart.ToolResult(id, toolResultText(block.get("content"), field(path, "content")), isError);
    }

    /** A tool result's content: a string, or text blocks (joined by blank lines, as the neutral type holds text). */
    private static String toolResultText(JsonNode content, String path) {
        if (absent(content)) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw JsonFields.expected(path, "a string or an array of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < content.size(); k++) {
            String blockPath = element(path, k);
            JsonNode block = JsonFields.requiredObject(content.get(k), blockPath);
            String typePath = field(blockPath, "type");
            String type = JsonFields.requiredString(block.get("type"), typePath);
            if (!"text".equals(type)) {
                throw GatewayException.invalid(typePath, typePath + " \"" + type
                        + "\" is not supported in a tool result: this gateway passes on text only");
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(JsonFields.requiredString(block.get("text"), field(blockPath, "text")));
        }
        return text.toString();
    }
}
