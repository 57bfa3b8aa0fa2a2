package dev.camelllm.provider.openai;

import dev.camelllm.chatcompletions.ChatCompletionsErrors;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.SseEvent;
import dev.camelllm.spi.Json;

/**
 * A streamed Responses API answer: semantic events ({@code response.output_text.delta}, …) that end with
 * {@code response.completed} or {@code response.incomplete}. There is no {@code [DONE]}: a body that ends
 * before one of those two is an incomplete answer, never a complete one; {@code response.failed} and
 * {@code error} are errors. Each event's {@code type} field names it (the {@code event:} line repeats it).
 */
final class ResponsesStream extends SseChatStream {

    private final ChatCompletionsErrors errors;
    /** output_index of a function_call item → its index among the answer's tool calls. */
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    /** Items whose content came as deltas, so that their done event does not repeat it. */
    private final Set<String> streamedItems = new HashSet<>();
    private final Map<String, Integer> summaryIndexes = new HashMap<>();
    private boolean refused;

    ResponsesStream(String provider, String apiKey, ChatCompletionsErrors errors, String model, OpenResponse response,
                    int maxEventBytes) {
        super(provider, model, response, apiKey, maxEventBytes);
        this.errors = errors;
    }

    @Override
    protected String finalEventName() {
        return "response.completed or response.incomplete";
    }

    @Override
    protected void onEvent(SseEvent event, Consumer<ChatChunk> out) throws IOException {
        String data = event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        JsonNode root = Json.parse(data);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        String type = Json.text(root, "type");
        if (type == null) {
            type = event.event();
        }
        if (type == null) {
            throw new IOException("an event without a type");
        }
        switch (type) {
            case "response.output_text.delta" -> text(root, out);
            case "response.refusal.delta" -> {
                refused = true;
                text(root, out);
            }
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> thinking(root, out);
            case "response.output_item.added" -> itemAdded(root, out);
            case "response.function_call_arguments.delta" -> arguments(root, out);
            case "response.output_item.done" -> itemDone(root.path("item"), root.path("output_index").asInt(), out);
            case "response.completed", "response.incomplete" -> finish(root.path("response"), out);
            case "response.failed" -> throw failed(root.path("response").path("error"), "response.failed");
            case "error" -> throw failed(root, "error");
            default -> {
                // response.created, .in_progress, content_part.*, *.done echoes: nothing new for the answer
            }
        }
    }

    private void text(JsonNode root, Consumer<ChatChunk> out) {
        String delta = Json.text(root, "delta");
        if (delta != null && !delta.isEmpty()) {
            streamedItems.add(String.valueOf(Json.text(root, "item_id")));
            out.accept(new ChatChunk.TextDelta(delta));
        }
    }

    /** Summary parts of one reasoning item are separated by a blank line, as the blocking answer joins them. */
    private void thinking(JsonNode root, Consumer<ChatChunk> out) {
        String delta = Json.text(root, "delta");
        if (delta == null || delta.isEmpty()) {
            return;
        }
        String item = String.valueOf(Json.text(root, "item_id"));
        int index = root.path("summary_index").asInt(0);
        Integer last = summaryIndexes.put(item, index);
        if (last != null && last != index) {
            out.accept(new ChatChunk.ThinkingDelta("\n\n"));
        }
        streamedItems.add(item);
        out.accept(new ChatChunk.ThinkingDelta(delta));
    }

    private void itemAdded(JsonNode root, Consumer<ChatChunk> out) {
        JsonNode item = root.path("item");
        if ("function_call".equals(Json.text(item, "type"))) {
            int index = toolIndex(root.path("output_index").asInt());
            out.accept(new ChatChunk.ToolCallDelta(index, Json.text(item, "call_id"), Json.text(item, "name"), ""));
        }
    }

    private void arguments(JsonNode root, Consumer<ChatChunk> out) {
        String delta = Json.text(root, "delta");
        if (delta != null && !delta.isEmpty()) {
            streamedItems.add(String.valueOf(Json.text(root, "item_id")));
            out.accept(new ChatChunk.ToolCallDelta(toolIndex(root.path("output_index").asInt()), null, null, delta));
        }
    }

    private void itemDone(JsonNode item, int outputIndex, Consumer<ChatChunk> out) {
        String type = Json.text(item, "type");
        String id = String.valueOf(Json.text(item, "id"));
        if ("function_call".equals(type)) {
            ToolCall call = ResponsesResponseReader.toolCall(item);
            out.accept(new ChatChunk.ToolCallComplete(toolIndex(outputIndex), call));
        } else if ("reasoning".equals(type)) {
            String summary = ResponsesResponseReader.summary(item);
            if (!streamedItems.contains(id) && !summary.isEmpty()) {
                out.accept(new ChatChunk.ThinkingDelta(summary));
            }
            String encrypted = Json.text(item, "encrypted_content");
            if (encrypted != null && !encrypted.isEmpty()) {
                out.accept(new ChatChunk.ThinkingSignature(encrypted));
            }
        } else if ("message".equals(type) && !streamedItems.contains(id)) {
            // an upstream that sends the message whole, without deltas
            for (JsonNode c : item.path("content")) {
                String t = "refusal".equals(Json.text(c, "type")) ? Json.text(c, "refusal") : Json.text(c, "text");
                refused |= "refusal".equals(Json.text(c, "type"));
                if (t != null && !t.isEmpty()) {
                    out.accept(new ChatChunk.TextDelta(t));
                }
            }
        }
    }

    private void finish(JsonNode response, Consumer<ChatChunk> out) {
        Usage usage = ResponsesResponseReader.usage(response.get("usage"));
        if (usage != null) {
            out.accept(new ChatChunk.UsageUpdate(usage));
        }
        String raw = ResponsesResponseReader.rawReason(response);
        FinishReason reason = refused ? FinishReason.CONTENT_FILTER
                : ResponsesResponseReader.finishReason(raw, !toolIndexes.isEmpty());
        out.accept(new ChatChunk.Finish(reason, raw));
        complete();
    }

    private int toolIndex(int outputIndex) {
        return toolIndexes.computeIfAbsent(outputIndex, k -> toolIndexes.size());
    }

    private LlmApiException failed(JsonNode error, String event) {
        return errors.fromStream(errorRoot(error, event), model);
    }

    /**
     * The {@code {"error":{…}}} shape the Chat Completions errors read, from a Responses error
     * ({@code code}, {@code message}): codes such as {@code invalid_prompt} are the request's fault.
     */
    static ObjectNode errorRoot(JsonNode error, String event) {
        ObjectNode root = Json.object();
        ObjectNode e = root.putObject("error");
        String code = Json.text(error, "code");
        String message = Json.text(error, "message");
        e.put("message", message != null ? message : event + " without a message");
        if (code != null) {
            e.put("code", code);
            if (code.startsWith("invalid_")) {
                e.put("type", "invalid_request_error");
            }
        }
        return root;
    }
}
