package dev.camelllm.gateway.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.spi.Json;

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
    public GatewayRequest decode(JsonNode body) {
        return AnthropicRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ResponseInfo info) {
        return bytes(AnthropicResponseEncoder.encode(response, info));
    }

    @Override
    public StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info) {
        return new AnthropicStreamEncoder(info);
    }

    @Override
    public byte[] encodeError(GatewayError error) {
        return bytes(AnthropicErrors.body(error));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e); // cannot happen for a tree
        }
    }
}
