package dev.camelllm.gateway.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.JsonFields;
import dev.camelllm.spi.Json;

/**
 * OpenAI's embeddings API ({@code POST /v1/embeddings}): {@code input} a string or an array of strings,
 * {@code model}, {@code encoding_format} float (default) or base64 (little-endian float32, as OpenAI
 * sends it), {@code dimensions}, {@code user} (ignored). Token-id inputs are refused with a 400 naming them:
 * a profile's tokenizer is not the client's.
 */
public final class OpenAiEmbeddingsFormat {

    /** OpenAI's own limit of inputs per request. */
    public static final int MAX_INPUTS = 2048;

    /** A decoded request: what to embed, and how the client wants the vectors written. */
    public record Decoded(String model, EmbeddingRequest request, boolean base64) {
    }

    public Decoded decode(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw GatewayException.invalid(null, "The request body must be a JSON object");
        }
        String model = JsonFields.requiredNonBlankString(root.get("model"), "model");
        JsonNode input = root.get("input");
        List<String> texts = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw GatewayException.invalid("input", "'input' is required: a string or an array of strings");
        } else if (input.isTextual()) {
            texts.add(input.asText());
        } else if (input.isArray()) {
            if (input.isEmpty()) {
                throw GatewayException.invalid("input", "'input' is an empty array: give at least one string");
            }
            if (input.size() > MAX_INPUTS) {
                throw GatewayException.invalid("input", "'input' has " + input.size() + " items; at most " + MAX_INPUTS);
            }
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                if (item.isNumber() || item.isArray()) {
                    throw GatewayException.invalid("input", "'input' as token ids is not supported by this gateway: "
                            + "send the text (a string or an array of strings)");
                }
                if (!item.isTextual()) {
                    throw GatewayException.invalid("input", "'input[" + i + "]' must be a string");
                }
                texts.add(item.asText());
            }
        } else {
            throw GatewayException.invalid("input", "'input' must be a string or an array of strings");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw GatewayException.invalid("input", (input.isArray() ? "'input[" + i + "]'" : "'input'")
                        + " is empty: every input must have text");
            }
        }
        boolean base64 = false;
        JsonNode format = root.get("encoding_format");
        if (format != null && !format.isNull()) {
            String f = format.isTextual() ? format.asText() : "";
            if (f.equals("base64")) {
                base64 = true;
            } else if (!f.equals("float")) {
                throw GatewayException.invalid("encoding_format", "'encoding_format' must be float or base64, was " + format);
            }
        }
        Integer dimensions = null;
        JsonNode dims = root.get("dimensions");
        if (dims != null && !dims.isNull()) {
            if (!dims.canConvertToInt() || !dims.isIntegralNumber() || dims.asInt() < 1) {
                throw GatewayException.invalid("dimensions", "'dimensions' must be a whole number of at least 1, was " + dims);
            }
            dimensions = dims.asInt();
        }
        return new Decoded(model, new EmbeddingRequest(texts, null, dimensions), base64);
    }

    /** The answer: a list of embedding objects in the inputs' order, the model the client named, usage. */
    public byte[] encode(EmbeddingResponse response, String model, boolean base64) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < response.vectors().size(); i++) {
            float[] v = response.vectors().get(i);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    bytes.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float f : v) {
                    values.add(f);
                }
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", response.usage().inputTokens());
        usage.put("total_tokens", response.usage().inputTokens());
        return Json.writeBytes(root);
    }
}
