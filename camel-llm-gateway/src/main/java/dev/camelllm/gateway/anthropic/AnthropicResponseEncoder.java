package dev.camelllm.gateway.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.PromptTokens;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

/** Writes a complete answer as a Messages API {@code message} object, and the pieces a stream shares with it. */
final class AnthropicResponseEncoder {

    /** The provider name the Anthropic provider writes into its answers. */
    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AnthropicResponseEncoder() {
    }

    static ObjectNode encode(ChatResponse response, ResponseInfo info) {
        ObjectNode root = Json.object();
        root.put("id", info.id());
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", info.model());
        ArrayNode content = root.putArray("content");
        if (response.message() != null) {
            addContent(content, response.message());
        }
        root.put("stop_reason", AnthropicStopReasons.of(response));
        root.putNull("stop_sequence");
        root.set("usage", usage(response.usage(), response.provider()));
        return root;
    }

    /** The message's parts as content blocks, in their order; empty text is left out, as Anthropic does. */
    private static void addContent(ArrayNode content, ChatMessage message) {
        for (ContentPart part : message.parts()) {
            if (part instanceof ContentPart.Thinking t) {
                ObjectNode block = content.addObject();
                block.put("type", "thinking");
                block.put("thinking", t.text());
                block.put("signature", t.signature() == null ? "" : t.signature());
            } else if (part instanceof ContentPart.RedactedThinking r) {
                ObjectNode block = content.addObject();
                block.put("type", "redacted_thinking");
                block.put("data", r.data());
            } else if (part instanceof ContentPart.Text t) {
                if (!t.text().isEmpty()) {
                    ObjectNode block = content.addObject();
                    block.put("type", "text");
                    block.put("text", t.text());
                }
            } else if (part instanceof ContentPart.ToolUse u) {
                content.add(toolUseBlock(u.call(), u.call().id() == null ? ToolUseIds.next() : u.call().id(),
                        toolInput(u.call().arguments())));
            }
            // images and tool results are never part of an answer
        }
    }

    static ObjectNode toolUseBlock(ToolCall call, String id, JsonNode input) {
        ObjectNode block = Json.object();
        block.put("type", "tool_use");
        block.put("id", id);
        block.put("name", call.name());
        block.set("input", input);
        return block;
    }

    /**
     * The arguments as a JSON object. Arguments that are not one (a model's broken JSON) become {@code {}}:
     * the block must still be valid, and the client's tool will answer that arguments are missing.
     */
    static JsonNode toolInput(String arguments) {
        try {
            JsonNode input = STRICT.readTree(arguments);
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (JsonProcessingException e) {
            // not JSON: falls through to {}
        }
        return Json.object();
    }

    /** Anthropic's usage object, where input_tokens excludes the cache tokens reported beside it. */
    static ObjectNode usage(Usage usage, String provider) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        long input = PromptTokens.uncached(u, provider);
        ObjectNode node = Json.object();
        node.put("input_tokens", input);
        node.put("output_tokens", u.outputTokens());
        node.put("cache_read_input_tokens", u.cacheReadTokens());
        node.put("cache_creation_input_tokens", u.cacheWriteTokens());
        return node;
    }
}
