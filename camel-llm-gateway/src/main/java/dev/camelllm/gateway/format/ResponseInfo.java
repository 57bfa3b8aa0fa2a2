package dev.camelllm.gateway.format;

/**
 * What an answer says about itself beside the model's output.
 *
 * @param id          the answer's id (OpenAI {@code chatcmpl-…}, Anthropic {@code msg_…}), made by the gateway
 * @param model       the model name written into the answer
 * @param createdEpochSeconds the creation time written into OpenAI answers
 */
public record ResponseInfo(String id, String model, long createdEpochSeconds) {
}
