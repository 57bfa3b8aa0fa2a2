package dev.camelllm.provider.openai;

import dev.camelllm.chatcompletions.ChatCompletionsRequestWriter;
import dev.camelllm.chatcompletions.ToolCallAccumulator;
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
 * Writes a {@link ChatRequest} as a Responses API body ({@code POST /v1/responses}). The call is stateless:
 * {@code store} is always false and the whole conversation goes in {@code input}, so a reasoning item of an
 * earlier turn travels back as its {@code encrypted_content} (carried in {@link ContentPart.Thinking}'s
 * signature, as Anthropic's thinking signatures are).
 *
 * @param reasoningEffort  the endpoint's effort ({@code minimal}…{@code high}), or null to derive it from the
 *                         request's thinking budget
 * @param reasoningSummary {@code auto}, {@code concise} or {@code detailed}; null sends none
 */
record ResponsesRequestWriter(String provider, String reasoningEffort, String reasoningSummary) {

    ObjectNode write(ChatRequest request, String model, boolean stream) {
        if (!request.stopSequences().isEmpty()) {
            // the Responses API has no stop sequences; dropping them would change the answer silently
            throw new LlmInvalidRequestException(provider, model,
                    "stop sequences are not supported by the OpenAI Responses API: remove stopSequences or use provider=openai");
        }
        ObjectNode root = Json.object();
        root.put("model", model);
        String instructions = request.effectiveSystemPrompt();
        if (instructions != null) {
            root.put("instructions", instructions);
        }
        root.set("input", input(request));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").put("name", spec.name());
                if (spec.description() != null) {
                    fn.put("description", spec.description());
                }
                fn.set("parameters", Json.MAPPER.valueToTree(spec.parameters()));
                // Responses defaults function tools to strict, which rejects most hand-written schemas
                fn.put("strict", false);
            }
            if (request.toolChoice() != null) {
                root.set("tool_choice", toolChoice(request.toolChoice()));
            }
        }
        textFormat(root, request.responseFormat());
        if (request.temperature() != null) {
            root.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            root.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            root.put("max_output_tokens", request.maxTokens());
        }
        String effort = reasoningEffort != null ? reasoningEffort
                : request.thinkingEnabled() ? ChatCompletionsRequestWriter.reasoningEffort(request.thinkingBudget()) : null;
        if (effort != null) {
            ObjectNode reasoning = root.putObject("reasoning").put("effort", effort);
            if (reasoningSummary != null) {
                reasoning.put("summary", reasoningSummary);
            }
            // without a store the reasoning only survives to the next turn encrypted in the answer
            root.putArray("include").add("reasoning.encrypted_content");
        }
        root.put("store", false);
        if (stream) {
            root.put("stream", true);
        }
        return root;
    }

    private static ArrayNode input(ChatRequest request) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> {
                    // in instructions
                }
                case USER -> user(items, m);
                case ASSISTANT -> assistant(items, m);
                case TOOL -> toolOutputs(items, m);
                default -> throw new IllegalStateException("unknown role " + m.role());
            }
        }
        return items;
    }

    private static void user(ArrayNode items, ChatMessage m) {
        // a user message may carry tool results (Anthropic's shape): they go first, as in the conversation
        toolOutputs(items, m);
        ArrayNode content = null;
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.Text t) {
                content = content == null ? Json.MAPPER.createArrayNode() : content;
                content.addObject().put("type", "input_text").put("text", t.text());
            } else if (p instanceof ContentPart.Image img) {
                content = content == null ? Json.MAPPER.createArrayNode() : content;
                String url = img.url() != null ? img.url()
                        : "data:" + (img.mediaType() == null ? "image/png" : img.mediaType()) + ";base64," + img.base64Data();
                content.addObject().put("type", "input_image").put("image_url", url);
            }
        }
        if (content != null) {
            items.addObject().put("type", "message").put("role", "user").set("content", content);
        }
    }

    /** The assistant's parts in their order: reasoning, then the text and calls it led to. */
    private static void assistant(ArrayNode items, ChatMessage m) {
        StringBuilder text = null;
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.Text t) {
                text = text == null ? new StringBuilder() : text;
                text.append(t.text());
                continue;
            }
            text = flushText(items, text);
            if (p instanceof ContentPart.Thinking th && th.signature() != null && !th.signature().isEmpty()) {
                ObjectNode r = items.addObject().put("type", "reasoning");
                ArrayNode summary = r.putArray("summary");
                if (!th.text().isEmpty()) {
                    summary.addObject().put("type", "summary_text").put("text", th.text());
                }
                r.put("encrypted_content", th.signature());
            } else if (p instanceof ContentPart.ToolUse use) {
                ToolCall call = use.call();
                items.addObject().put("type", "function_call").put("call_id", callId(call))
                        .put("name", call.name()).put("arguments", call.arguments());
            }
            // thinking without encrypted content cannot be resolved with store=false; redacted thinking is Anthropic's
        }
        flushText(items, text);
    }

    private static StringBuilder flushText(ArrayNode items, StringBuilder text) {
        if (text != null && text.length() > 0) {
            items.addObject().put("type", "message").put("role", "assistant").put("content", text.toString());
        }
        return null;
    }

    private static void toolOutputs(ArrayNode items, ChatMessage m) {
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.ToolResult r) {
                // no error flag in the Responses API: say it in the output so that the model knows
                items.addObject().put("type", "function_call_output").put("call_id", r.toolCallId())
                        .put("output", r.isError() ? "Error: " + r.content() : r.content());
            }
        }
    }

    private static String callId(ToolCall call) {
        return call.id() == null || call.id().isEmpty() ? ToolCallAccumulator.newId() : call.id();
    }

    private static ObjectNode toolChoiceNode(String name) {
        return Json.object().put("type", "function").put("name", name);
    }

    private static com.fasterxml.jackson.databind.JsonNode toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case AUTO -> Json.MAPPER.getNodeFactory().textNode("auto");
            case NONE -> Json.MAPPER.getNodeFactory().textNode("none");
            case REQUIRED -> Json.MAPPER.getNodeFactory().textNode("required");
            case TOOL -> toolChoiceNode(choice.toolName());
        };
    }

    private static void textFormat(ObjectNode root, ResponseFormat format) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            return;
        }
        ObjectNode f = root.putObject("text").putObject("format");
        if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
            f.put("type", "json_object");
            return;
        }
        f.put("type", "json_schema").put("name", format.name() == null ? "response" : format.name());
        f.set("schema", Json.MAPPER.valueToTree(format.schema()));
        f.put("strict", format.strict());
    }
}
