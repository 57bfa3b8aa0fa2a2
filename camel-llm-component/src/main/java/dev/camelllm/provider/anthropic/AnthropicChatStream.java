package dev.camelllm.provider.anthropic;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.SseEvent;
import dev.camelllm.spi.Json;

/**
 * A Messages API stream: message_start, then per content block content_block_start / _delta / _stop, then
 * message_delta (stop reason, cumulative usage) and message_stop. {@code ping} and unknown events are
 * ignored; an {@code error} event fails the stream with a typed error.
 */
final class AnthropicChatStream extends SseChatStream {

    private static final Set<String> EVENTS = Set.of("message_start", "content_block_start", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop", "error");

    private final String apiKey;
    /** Open content blocks by their index in the message. */
    private final Map<Integer, Block> blocks = new HashMap<>();
    private int toolCalls;

    AnthropicChatStream(String model, OpenResponse response, String apiKey, int maxEventBytes) {
        super(AnthropicProvider.NAME, model, response, apiKey, maxEventBytes);
        this.apiKey = apiKey;
    }

    @Override
    protected String finalEventName() {
        return "message_stop";
    }

    @Override
    protected void onEvent(SseEvent event, Consumer<ChatChunk> out) throws IOException {
        String name = event.event();
        // events are named by the event: line; a server that sends none leaves "message" and the data's type
        if (!"message".equals(name) && !EVENTS.contains(name)) {
            return; // ping, and event types newer than this code
        }
        JsonNode data = Json.parse(event.data());
        String type = "message".equals(name) ? Json.text(data, "type") : name;
        if (type == null) {
            return;
        }
        switch (type) {
            case "message_start" -> messageStart(data, out);
            case "content_block_start" -> blockStart(data, out);
            case "content_block_delta" -> blockDelta(data, out);
            case "content_block_stop" -> blockStop(data, out);
            case "message_delta" -> messageDelta(data, out);
            case "message_stop" -> complete();
            case "error" -> throw AnthropicErrors.fromEvent(data, model, apiKey);
            default -> {
                // ping and unknown types sent without an event: line
            }
        }
    }

    private void messageStart(JsonNode data, Consumer<ChatChunk> out) {
        // message.model (a dated version of the requested model) has no chunk to travel in: the finished
        // response names the requested model
        JsonNode message = data.path("message");
        // output_tokens here is a placeholder; the real, cumulative count comes with message_delta
        Usage start = AnthropicResponseReader.usage(message.get("usage"));
        out.accept(new ChatChunk.UsageUpdate(new Usage(start.inputTokens(), 0, start.cacheReadTokens(),
                start.cacheWriteTokens())));
    }

    private void blockStart(JsonNode data, Consumer<ChatChunk> out) {
        int index = index(data);
        JsonNode cb = data.path("content_block");
        String type = Json.text(cb, "type");
        Block block = new Block(type == null ? "unknown" : type);
        blocks.put(index, block);
        switch (block.type) {
            case "text" -> emitText(Json.text(cb, "text"), out);
            case "thinking" -> {
                String thinking = Json.text(cb, "thinking");
                if (thinking != null && !thinking.isEmpty()) {
                    out.accept(new ChatChunk.ThinkingDelta(thinking));
                }
                String signature = Json.text(cb, "signature");
                if (signature != null && !signature.isEmpty()) {
                    block.signature.append(signature);
                }
            }
            case "redacted_thinking" -> out.accept(new ChatChunk.RedactedThinking(Json.text(cb, "data")));
            case "tool_use" -> {
                block.toolIndex = toolCalls++;
                block.id = Json.text(cb, "id");
                block.name = Json.text(cb, "name");
                if (block.name == null) {
                    throw malformed("tool_use block " + index + " has no name");
                }
                JsonNode input = cb.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    block.startInput = Json.write(input);
                }
                out.accept(new ChatChunk.ToolCallDelta(block.toolIndex, block.id, block.name, ""));
            }
            default -> {
                // server tool blocks and newer block types: nothing to hand on
            }
        }
    }

    private void blockDelta(JsonNode data, Consumer<ChatChunk> out) {
        int index = index(data);
        JsonNode delta = data.path("delta");
        String type = Json.text(delta, "type");
        if (type == null) {
            return;
        }
        Block block = blocks.get(index);
        switch (type) {
            case "text_delta" -> emitText(Json.text(delta, "text"), out);
            case "thinking_delta" -> {
                String thinking = Json.text(delta, "thinking");
                if (thinking != null && !thinking.isEmpty()) {
                    out.accept(new ChatChunk.ThinkingDelta(thinking));
                }
            }
            case "signature_delta" -> {
                String signature = Json.text(delta, "signature");
                if (block != null && signature != null) {
                    block.signature.append(signature);
                }
            }
            case "input_json_delta" -> {
                if (block == null || !"tool_use".equals(block.type)) {
                    throw malformed("input_json_delta for block " + index + ", which is not an open tool_use block");
                }
                String fragment = Json.text(delta, "partial_json");
                // the first fragment is often "", and a tool without arguments sends nothing else
                if (fragment != null && !fragment.isEmpty()) {
                    block.json.append(fragment);
                    out.accept(new ChatChunk.ToolCallDelta(block.toolIndex, null, null, fragment));
                }
            }
            default -> {
                // citations_delta and newer delta types
            }
        }
    }

    private void blockStop(JsonNode data, Consumer<ChatChunk> out) {
        int index = index(data);
        Block block = blocks.remove(index);
        if (block == null) {
            return;
        }
        if ("tool_use".equals(block.type)) {
            String arguments = block.json.length() > 0 ? block.json.toString()
                    : block.startInput != null ? block.startInput : "{}";
            JsonNode input;
            try {
                input = AnthropicRequestWriter.STRICT.readTree(arguments);
            } catch (JsonProcessingException e) {
                throw malformed("tool_use block " + index + " (" + block.name + ") sent input that is not valid JSON: "
                        + e.getOriginalMessage());
            }
            if (input == null || !input.isObject()) {
                throw malformed("tool_use block " + index + " (" + block.name + ") sent input that is not a JSON object");
            }
            out.accept(new ChatChunk.ToolCallComplete(block.toolIndex, new ToolCall(block.id, block.name,
                    Json.write(input))));
        } else if ("thinking".equals(block.type) && block.signature.length() > 0) {
            out.accept(new ChatChunk.ThinkingSignature(block.signature.toString()));
        }
    }

    private void messageDelta(JsonNode data, Consumer<ChatChunk> out) {
        JsonNode usage = data.get("usage");
        if (usage != null && usage.isObject()) {
            // cumulative counts: merged over the message_start ones by Usage.merge
            out.accept(new ChatChunk.UsageUpdate(AnthropicResponseReader.usage(usage)));
        }
        String stopReason = Json.text(data.path("delta"), "stop_reason");
        if (stopReason != null) {
            out.accept(new ChatChunk.Finish(AnthropicResponseReader.finishReason(stopReason), stopReason));
        }
    }

    private static void emitText(String text, Consumer<ChatChunk> out) {
        if (text != null && !text.isEmpty()) {
            out.accept(new ChatChunk.TextDelta(text));
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("index");
        if (index == null || !index.canConvertToInt()) {
            throw malformed("a content block event without an index");
        }
        return index.asInt();
    }

    private LlmStreamException malformed(String what) {
        return new LlmStreamException(provider, model, "malformed stream: " + what, null);
    }

    /** What is known about one open content block. */
    private static final class Block {
        final String type;
        final StringBuilder json = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        int toolIndex;
        String id;
        String name;
        String startInput;

        Block(String type) {
            this.type = type;
        }
    }
}
