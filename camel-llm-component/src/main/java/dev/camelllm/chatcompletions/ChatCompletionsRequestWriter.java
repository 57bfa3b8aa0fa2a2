package dev.camelllm.chatcompletions;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/** Writes a {@link ChatRequest} as a Chat Completions request body. What is not set is left out. */
public final class ChatCompletionsRequestWriter {

    private final ChatCompletionsDialect dialect;

    public ChatCompletionsRequestWriter(ChatCompletionsDialect dialect) {
        this.dialect = dialect;
    }

    public ObjectNode write(ChatRequest request, String model, boolean stream) {
        ObjectNode root = Json.object();
        root.put("model", model);
        root.set("messages", messages(request));

        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", spec.name());
                if (spec.description() != null) {
                    fn.put("description", spec.description());
                }
                fn.set("parameters", Json.MAPPER.valueToTree(spec.parameters()));
            }
            // OpenAI rejects tool_choice without tools, so it only goes with them
            if (request.toolChoice() != null) {
                toolChoice(root, request.toolChoice());
            }
        }
        responseFormat(root, request.responseFormat());
        if (request.temperature() != null) {
            root.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            root.put("top_p", request.topP());
        }
        if (request.topK() != null && dialect.sendTopK()) {
            root.put("top_k", request.topK());
        }
        if (!request.stopSequences().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            request.stopSequences().forEach(stop::add);
        }
        if (request.seed() != null) {
            root.put("seed", request.seed());
        }
        if (request.maxTokens() != null) {
            root.put(dialect.maxTokensField(), request.maxTokens());
        }
        if (dialect.reasoningEffort() && request.thinkingEnabled()) {
            root.put("reasoning_effort", reasoningEffort(request.thinkingBudget()));
        }
        if (stream) {
            root.put("stream", true);
            if (dialect.streamUsage()) {
                root.putObject("stream_options").put("include_usage", true);
            }
        }
        return root;
    }

    /** OpenAI has efforts, not budgets: the budget picks the nearest effort. */
    public static String reasoningEffort(int budget) {
        if (budget <= 2048) {
            return "low";
        }
        return budget <= 8192 ? "medium" : "high";
    }

    private static ArrayNode messages(ChatRequest request) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        // SYSTEM messages anywhere in the list are folded into the one system message that leads
        String system = request.effectiveSystemPrompt();
        if (system != null) {
            out.addObject().put("role", "system").put("content", system);
        }
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> {
                    // already in the leading system message
                }
                case USER -> user(out, m);
                case ASSISTANT -> assistant(out, m);
                case TOOL -> toolResults(out, m);
                default -> throw new IllegalStateException("unknown role " + m.role());
            }
        }
        return out;
    }

    private static void user(ArrayNode out, ChatMessage m) {
        // a user message may carry tool results (Anthropic's shape): they become tool messages first
        toolResults(out, m);
        List<ContentPart> content = new ArrayList<>();
        boolean images = false;
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.Text || p instanceof ContentPart.Image) {
                content.add(p);
                images |= p instanceof ContentPart.Image;
            }
        }
        if (content.isEmpty()) {
            return;
        }
        ObjectNode msg = out.addObject().put("role", "user");
        if (!images) {
            msg.put("content", joinText(content));
            return;
        }
        ArrayNode parts = msg.putArray("content");
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Text t) {
                parts.addObject().put("type", "text").put("text", t.text());
            } else if (p instanceof ContentPart.Image img) {
                String url = img.url() != null ? img.url()
                        : "data:" + (img.mediaType() == null ? "image/png" : img.mediaType()) + ";base64," + img.base64Data();
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
            }
        }
    }

    private static void assistant(ArrayNode out, ChatMessage m) {
        ObjectNode msg = out.addObject().put("role", "assistant");
        List<ContentPart> texts = m.parts().stream().filter(ContentPart.Text.class::isInstance).toList();
        List<ToolCall> calls = m.toolCalls();
        // thinking parts are not sent: Chat Completions has no field for them
        if (!texts.isEmpty() || calls.isEmpty()) {
            msg.put("content", joinText(texts));
        } else {
            msg.putNull("content");
        }
        if (!calls.isEmpty()) {
            ArrayNode tc = msg.putArray("tool_calls");
            for (ToolCall call : calls) {
                ObjectNode c = tc.addObject();
                if (call.id() != null) {
                    c.put("id", call.id());
                }
                c.put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
    }

    private static void toolResults(ArrayNode out, ChatMessage m) {
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.ToolResult r) {
                // Chat Completions has no error flag: say it in the content so the model knows
                String content = r.isError() ? "Error: " + r.content() : r.content();
                out.addObject().put("role", "tool").put("tool_call_id", r.toolCallId()).put("content", content);
            }
        }
    }

    /** Text parts joined as {@link ChatMessage#text()} joins them; a plain string suits every server. */
    private static String joinText(List<ContentPart> parts) {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    private static void toolChoice(ObjectNode root, ToolChoice choice) {
        switch (choice.mode()) {
            case AUTO -> root.put("tool_choice", "auto");
            case NONE -> root.put("tool_choice", "none");
            case REQUIRED -> root.put("tool_choice", "required");
            case TOOL -> root.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", choice.toolName());
            default -> throw new IllegalStateException("unknown tool choice " + choice.mode());
        }
    }

    private static void responseFormat(ObjectNode root, ResponseFormat format) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            // text is every server's default; some compatible servers reject the explicit form
            return;
        }
        ObjectNode rf = root.putObject("response_format");
        if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
            rf.put("type", "json_object");
            return;
        }
        rf.put("type", "json_schema");
        ObjectNode js = rf.putObject("json_schema");
        js.put("name", format.name() == null ? "response" : format.name());
        js.set("schema", Json.MAPPER.valueToTree(format.schema()));
        js.put("strict", format.strict());
    }
}
