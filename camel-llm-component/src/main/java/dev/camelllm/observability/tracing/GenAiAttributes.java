package dev.camelllm.observability.tracing;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attributes we set: the OpenTelemetry GenAI semantic conventions' (gen_ai.*, error.type) where
 * they define one, ours (llm.*) for what they do not cover. Spelled out here rather than taken from the
 * semconv artifact, whose gen_ai keys are still incubating and change names between releases.
 */
public final class GenAiAttributes {

    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    public static final AttributeKey<String> PROFILE = AttributeKey.stringKey("llm.profile");
    public static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("llm.stream");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("llm.attempt");
    public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("llm.attempts");
    public static final AttributeKey<String> FALLBACK = AttributeKey.stringKey("llm.fallback");
    public static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("llm.cache_hit");

    /** The operation of a chat call (every operation but embed), in the conventions' words. */
    public static final String CHAT = "chat";
    /** The operation of an llm: call with operation=embed. */
    public static final String EMBEDDINGS = "embeddings";

    private GenAiAttributes() {
    }

    /**
     * Our provider name as the conventions' gen_ai.provider.name value where they have one; a provider
     * they do not list (openai-compatible, onnx, one of the application's) keeps its own name; both OpenAI APIs are openai.
     */
    public static String providerName(String provider) {
        if (provider == null || provider.isBlank()) {
            return "unknown";
        }
        return switch (provider) {
            case "openai", "openai-responses" -> "openai";
            case "anthropic" -> "anthropic";
            default -> provider;
        };
    }

    /** The conventions' span name: "{operation} {model}", the operation alone when no model is known. */
    public static String spanName(String model) {
        return spanName(CHAT, model);
    }

    /** The same for another operation. */
    public static String spanName(String operation, String model) {
        return model == null || model.isBlank() ? operation : operation + " " + model;
    }
}
