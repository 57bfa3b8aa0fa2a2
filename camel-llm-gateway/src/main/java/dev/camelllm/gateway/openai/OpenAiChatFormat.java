package dev.camelllm.gateway.openai;

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
 * The OpenAI Chat Completions API ({@code POST /v1/chat/completions}) as the gateway serves it. See
 * {@link OpenAiRequestDecoder} for what a request may hold (and how {@code reasoning_effort} becomes a
 * thinking budget). Answers carry reasoning in {@code reasoning_content}, the DeepSeek/vLLM convention,
 * since Chat Completions has no field of its own for it.
 */
public final class OpenAiChatFormat implements WireFormat {

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String idPrefix() {
        return "chatcmpl-";
    }

    @Override
    public GatewayRequest decode(JsonNode body) {
        return OpenAiRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ResponseInfo info) {
        return Json.writeBytes(OpenAiResponseEncoder.toJson(response, info));
    }

    @Override
    public StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info) {
        return new OpenAiStreamEncoder(request, info);
    }

    @Override
    public byte[] encodeModels(List<String> models) {
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        models.forEach(n -> model(data.addObject(), n));
        return Json.writeBytes(root);
    }

    @Override
    public byte[] encodeModel(String model) {
        return Json.writeBytes(model(Json.object(), model));
    }

    private static ObjectNode model(ObjectNode node, String id) {
        return node.put("id", id).put("object", "model").put("created", 0).put("owned_by", "camel-llm");
    }

    @Override
    public byte[] encodeError(GatewayError error) {
        return Json.writeBytes(OpenAiErrors.toJson(error));
    }
}
