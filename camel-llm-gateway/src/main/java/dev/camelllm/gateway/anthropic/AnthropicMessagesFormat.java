package dev.camelllm.gateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.spi.Json;
import java.util.List;

/**
 * The Anthropic Messages API ({@code POST /v1/messages}) as the gateway serves it.
 *
 * <p>What does not map one to one: server tools ({@code web_search_…} and the like) and document blocks are
 * refused with a 400; {@code thinking: {type: "adaptive"}} becomes a budget of half of max_tokens; a
 * user message with tool_result blocks becomes a TOOL message and a USER message; an answer's
 * {@code stop_sequence} is always null (the neutral answer does not say which one matched); a timeout is an
 * {@code api_error}, as Anthropic has no timeout type.
 */
public final class AnthropicMessagesFormat implements WireFormat {

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String idPrefix() {
        return "msg_";
    }

    @Override
    public GatewayRequest decode(JsonNode body) {
        return AnthropicRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ResponseInfo info) {
        return Json.writeBytes(AnthropicResponseEncoder.encode(response, info));
    }

    @Override
    public StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info) {
        return new AnthropicStreamEncoder(info);
    }

    @Override
    public byte[] encodeModels(List<String> models) {
        ObjectNode root = Json.object();
        ArrayNode data = root.putArray("data");
        models.forEach(n -> model(data.addObject(), n));
        root.put("has_more", false);
        root.put("first_id", models.isEmpty() ? null : models.get(0));
        root.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
        return Json.writeBytes(root);
    }

    @Override
    public byte[] encodeModel(String model) {
        return Json.writeBytes(model(Json.object(), model));
    }

    private static ObjectNode model(ObjectNode node, String id) {
        // lifecycle is required by the Anthropic SDK (3.x) when it validates a model; every served model is active
        return node.put("type", "model").put("id", id).put("display_name", id)
                .put("created_at", "1970-01-01T00:00:00Z").put("lifecycle", "active");
    }

    /**
     * Reads the body of {@code POST /v1/messages/count_tokens}: a Messages request without {@code max_tokens}
     * (and without {@code stream}).
     */
    public GatewayRequest decodeTokenCount(JsonNode body) {
        return AnthropicRequestDecoder.decodeTokenCount(body);
    }

    /** The answer of {@code count_tokens}. */
    public byte[] encodeTokenCount(long inputTokens) {
        return Json.writeBytes(Json.object().put("input_tokens", inputTokens));
    }

    @Override
    public byte[] encodeError(GatewayError error) {
        return Json.writeBytes(AnthropicErrors.body(error));
    }
}
