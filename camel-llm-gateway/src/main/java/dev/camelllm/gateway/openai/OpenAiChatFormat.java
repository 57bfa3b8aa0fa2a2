package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.spi.Json;

/**
 * The OpenAI Chat Completions API ({@code POST /v1/chat/completions}) as the gateway serves it. See
 * {@link OpenAiRequestDecoder} for what a request may hold (and how {@code reasoning_effort} becomes a
 * thinking budget). Answers carry reasoning in {@code reasoning_content}, the DeepSeek/vLLM convention,
 * since Chat Completions has no field of its own for it.
 */
public final class OpenAiChatFormat implements WireFormat {

    @Override
    public GatewayRequest decode(JsonNode body) {
        return OpenAiRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ResponseInfo info) {
        return bytes(OpenAiResponseEncoder.toJson(response, info));
    }

    @Override
    public StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info) {
        return new OpenAiStreamEncoder(request, info);
    }

    @Override
    public byte[] encodeError(GatewayError error) {
        return bytes(OpenAiErrors.toJson(error));
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return Json.MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            // a tree of plain nodes always writes
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
