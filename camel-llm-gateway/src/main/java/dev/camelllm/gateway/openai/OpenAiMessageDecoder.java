package dev.camelllm.gateway.openai;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.optionalArray;
import static dev.camelllm.gateway.format.JsonFields.optionalString;
import static dev.camelllm.gateway.format.JsonFields.requiredArray;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredObject;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.gateway.format.GatewayException;

/** Reads the {@code messages} array of a Chat Completions request into provider-neutral messages. */
final class OpenAiMessageDecoder {

    private static final String PATH = "messages";

    private OpenAiMessageDecoder() {
    }

    static List<ChatMessage> decode(JsonNode messages) {
        requiredArray(messages, PATH);
        if (messages.isEmpty()) {
            throw expected(PATH, "a non-empty array of messages");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), element(PATH, i)));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String path) {
        requiredObject(m, path);
        String rolePath = field(path, "role");
        String role = requiredString(m.get("role"), rolePath);
        String contentPath = field(path, "content");
        return switch (role) {
            case "system", "developer" -> new ChatMessage(Role.SYSTEM,
                    List.of(new ContentPart.Text(OpenAiContentDecoder.text(content(m, path, role), contentPath, role))));
            case "user" -> new ChatMessage(Role.USER, OpenAiContentDecoder.userParts(content(m, path, role), contentPath));
            case "assistant" -> assistant(m, path);
            case "tool" -> tool(m, path);
            case "function" -> throw GatewayException.invalid(rolePath, rolePath
                    + " \"function\" is not supported: send the calls as tool_calls and their results as \"tool\" messages");
            default -> throw expected(rolePath, "one of \"system\", \"developer\", \"user\", \"assistant\", \"tool\"");
        };
    }

    private static JsonNode content(JsonNode m, String path, String role) {
        JsonNode content = m.get("content");
        if (absent(content)) {
            String contentPath = field(path, "content");
            throw GatewayException.invalid(contentPath, contentPath + " is required in a " + role + " message");
        }
        return content;
    }

    private static ChatMessage assistant(JsonNode m, String path) {
        JsonNode calls = optionalArray(m.get("tool_calls"), field(path, "tool_calls"));
        // clients echo an answer back as it came, and some send "tool_calls": [] for none
        boolean hasCalls = calls != null && !calls.isEmpty();
        List<ContentPart> parts = new ArrayList<>();
        // the DeepSeek/vLLM field; the reasoning came before the answer, so its part goes first
        String reasoning = optionalString(m.get("reasoning_content"), field(path, "reasoning_content"));
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Thinking(reasoning, null));
        }
        JsonNode content = m.get("content");
        if (absent(content)) {
            if (!hasCalls) {
                String contentPath = field(path, "content");
                throw GatewayException.invalid(contentPath,
                        contentPath + " is required in an assistant message without tool_calls");
            }
        } else {
            String text = OpenAiContentDecoder.text(content, field(path, "content"), "assistant");
            // "content": "" beside tool calls is the SDKs' way of saying "no text"
            if (!text.isEmpty() || !hasCalls) {
                parts.add(new ContentPart.Text(text));
            }
        }
        if (hasCalls) {
            for (int i = 0; i < calls.size(); i++) {
                parts.add(new ContentPart.ToolUse(toolCall(calls.get(i), element(field(path, "tool_calls"), i))));
            }
        }
        return new ChatMessage(Role.ASSISTANT, parts);
    }

    private static ToolCall toolCall(JsonNode call, String path) {
        requiredObject(call, path);
        String id = requiredNonBlankString(call.get("id"), field(path, "id"));
        String type = optionalString(call.get("type"), field(path, "type"));
        if (type != null && !"function".equals(type)) {
            throw expected(field(path, "type"), "\"function\"");
        }
        String fnPath = field(path, "function");
        JsonNode fn = requiredObject(call.get("function"), fnPath);
        String name = requiredNonBlankString(fn.get("name"), field(fnPath, "name"));
        String arguments = optionalString(fn.get("arguments"), field(fnPath, "arguments"));
        return new ToolCall(id, name, arguments);
    }

    private static ChatMessage tool(JsonNode m, String path) {
        String id = requiredNonBlankString(m.get("tool_call_id"), field(path, "tool_call_id"));
        String result = OpenAiContentDecoder.text(content(m, path, "tool"), field(path, "content"), "tool");
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult(id, result, false)));
    }
}
