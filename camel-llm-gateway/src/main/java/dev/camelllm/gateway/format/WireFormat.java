package dev.camelllm.gateway.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.api.ChatResponse;
import java.util.List;

/**
 * One client-facing API (OpenAI Chat Completions or Anthropic Messages): how its requests are read and
 * checked, and how answers and errors are written back in it. Stateless and thread-safe; the stream
 * encoders it hands out hold the state of one answer.
 */
public interface WireFormat {

    /** The API's short name, for route ids and log lines: {@code openai}, {@code anthropic}. */
    String name();

    /** How this API's answer ids begin: {@code chatcmpl-}, {@code msg_}. */
    String idPrefix();

    /**
     * Reads and checks a request body. Every problem is a {@link GatewayException} of type
     * {@link ErrorType#INVALID_REQUEST} whose message names the field ({@code messages[2].content}).
     * The returned request's {@code ChatRequest} has no model: the gateway decides it from the profile.
     */
    GatewayRequest decode(JsonNode body);

    /** The JSON body of a complete (non-streamed) answer. */
    byte[] encodeResponse(ChatResponse response, ResponseInfo info);

    /** An encoder for one streamed answer. */
    StreamEncoder streamEncoder(GatewayRequest request, ResponseInfo info);

    /** The JSON body of {@code GET /v1/models} in this API's list format. */
    byte[] encodeModels(List<String> models);

    /** The JSON body of {@code GET /v1/models/{id}}: one model, as an item of the list. */
    byte[] encodeModel(String model);

    /** The JSON body of an error in this API's format. */
    byte[] encodeError(GatewayError error);
}
