package dev.camelllm.gateway.openai;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.spi.Json;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as the gateway serves it, statelessly, in front of
 * any profile: {@link ResponsesRequestDecoder} reads it into the provider-neutral request, and answers go
 * back as a {@code response} object or its semantic events. Errors and the model list have OpenAI's shapes,
 * which the Responses API shares with Chat Completions.
 */
public final class ResponsesApiFormat implements WireFormat {

    static final String ID_PREFIX = "resp_";

    private final OpenAiChatFormat chat = new OpenAiChatFormat();

    @Override
    public String name() {
        return "openai-responses";
    }

    @Override
    public String idPrefix() {
        return ID_PREFIX;
    }

    @Override
    public GatewayRequest decode(JsonNode body) {
        return ResponsesRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ResponseInfo info) {
        return Json.writeBytes(ResponsesResponseEncoder.toJson(response, info));
    }

    @Override
    public StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info) {
        return new ResponsesStreamEncoder(info);
    }

    @Override
    public byte[] encodeModels(List<String> models) {
        return chat.encodeModels(models);
    }

    @Override
    public byte[] encodeModel(String model) {
        return chat.encodeModel(model);
    }

    @Override
    public byte[] encodeError(GatewayError error) {
        return chat.encodeError(error);
    }
}
