package dev.camelllm.gateway.openai;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.gateway.format.GatewayException;

import static dev.camelllm.gateway.format.JsonFields.absent;
import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.missing;
import static dev.camelllm.gateway.format.JsonFields.optionalString;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

/**
 * Reads a Responses {@code input} (a string, or a list of items) into messages. Consecutive assistant-side
 * items (reasoning, an assistant message, {@code function_call}s) make one assistant message, in their order;
 * {@code function_call_output}s make tool messages; {@code system} and {@code developer} messages are system
 * messages. A reasoning item's summary and {@code encrypted_content} become a {@link ContentPart.Thinking}
 * with that content as its signature. Items that refer to stored state ({@code item_reference}) or to hosted
 * tools are refused by type.
 */
final class ResponsesInputDecoder {

    private ResponsesInputDecoder() {
    }

    static List<ChatMessage> decode(JsonNode input) {
        if (absent(input)) {
            throw missing("input");
        }
        if (input.isTextual()) {
            return List.of(ChatMessage.user(input.asText()));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw expected("input", "a string or a non-empty array of input items");
        }
        List<ChatMessage> out = new ArrayList<>();
        List<ContentPart> assistant = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            String path = element("input", i);
            JsonNode item = input.get(i);
            if (!item.isObject()) {
                throw expected(path, "an object");
            }
            String type = optionalString(item.get("type"), field(path, "type"));
            if (type == null) {
                // the short form {"role": …, "content": …} is a message
                type = "message";
            }
            switch (type) {
                case "message" -> message(item, path, out, assistant);
                case "function_call" -> assistant.add(new ContentPart.ToolUse(new ToolCall(
                        requiredNonBlankString(item.get("call_id"), field(path, "call_id")),
                        requiredNonBlankString(item.get("name"), field(path, "name")),
                        requiredString(item.get("arguments"), field(path, "arguments")))));
                case "reasoning" -> reasoning(item, path, assistant);
                case "function_call_output" -> {
                    flush(out, assistant);
                    out.add(new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult(
                            requiredNonBlankString(item.get("call_id"), field(path, "call_id")),
                            outputText(item.get("output"), field(path, "output")), false))));
                }
                case "item_reference" -> throw GatewayException.invalid(field(path, "type"), field(path, "type")
                        + " item_reference needs stored responses, which this gateway does not keep: send the items themselves");
                default -> throw expected(field(path, "type"),
                        "\"message\", \"function_call\", \"function_call_output\" or \"reasoning\" (the gateway passes on function tools only)");
            }
        }
        flush(out, assistant);
        return out;
    }

    private static void message(JsonNode item, String path, List<ChatMessage> out, List<ContentPart> assistant) {
        String role = requiredString(item.get("role"), field(path, "role"));
        String contentPath = field(path, "content");
        switch (role) {
            case "assistant" -> assistant.add(new ContentPart.Text(text(item.get("content"), contentPath)));
            case "user" -> {
                flush(out, assistant);
                out.add(new ChatMessage(Role.USER, userContent(item.get("content"), contentPath)));
            }
            case "system", "developer" -> {
                flush(out, assistant);
                out.add(ChatMessage.system(text(item.get("content"), contentPath)));
            }
            default -> throw expected(field(path, "role"), "\"user\", \"assistant\", \"system\" or \"developer\"");
        }
    }

    private static void reasoning(JsonNode item, String path, List<ContentPart> assistant) {
        StringBuilder summary = new StringBuilder();
        JsonNode parts = item.get("summary");
        if (!absent(parts)) {
            if (!parts.isArray()) {
                throw expected(field(path, "summary"), "an array");
            }
            for (int j = 0; j < parts.size(); j++) {
                String t = requiredString(parts.get(j).get("text"), field(element(field(path, "summary"), j), "text"));
                summary.append(summary.length() > 0 ? "\n\n" : "").append(t);
            }
        }
        String encrypted = optionalString(item.get("encrypted_content"), field(path, "encrypted_content"));
        // an empty one is no signature: an upstream must not be sent a blank signature to verify
        assistant.add(new ContentPart.Thinking(summary.toString(), encrypted == null || encrypted.isEmpty() ? null : encrypted));
    }

    private static void flush(List<ChatMessage> out, List<ContentPart> assistant) {
        if (!assistant.isEmpty()) {
            out.add(new ChatMessage(Role.ASSISTANT, List.copyOf(assistant)));
            assistant.clear();
        }
    }

    /** A message's content as plain text: a string, or text parts ({@code input_text}, {@code output_text}). */
    private static String text(JsonNode content, String path) {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : userContent(content, path)) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            } else {
                throw expected(path, "text only (images go in user messages)");
            }
        }
        return sb.toString();
    }

    private static List<ContentPart> userContent(JsonNode content, String path) {
        if (absent(content)) {
            throw missing(path);
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw expected(path, "a string or an array of content parts");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String p = element(path, i);
            JsonNode part = content.get(i);
            String type = requiredString(part.get("type"), field(p, "type"));
            switch (type) {
                case "input_text", "output_text", "text" -> parts.add(new ContentPart.Text(
                        requiredString(part.get("text"), field(p, "text"))));
                case "refusal" -> parts.add(new ContentPart.Text(requiredString(part.get("refusal"), field(p, "refusal"))));
                case "input_image" -> parts.add(image(part, p));
                default -> throw expected(field(p, "type"), "\"input_text\", \"output_text\" or \"input_image\"");
            }
        }
        return parts;
    }

    private static ContentPart image(JsonNode part, String path) {
        if (!absent(part.get("file_id"))) {
            throw GatewayException.invalid(field(path, "file_id"), field(path, "file_id")
                    + " is not supported: the gateway keeps no files; send image_url (a URL or a data: URL)");
        }
        String url = requiredNonBlankString(part.get("image_url"), field(path, "image_url"));
        return OpenAiContentDecoder.image(url, field(path, "image_url"));
    }

    /** A function_call_output's output: a string, or text parts. */
    private static String outputText(JsonNode output, String path) {
        return output != null && output.isTextual() ? output.asText() : text(output, path);
    }
}
