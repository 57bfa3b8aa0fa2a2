package dev.camelllm.component;

import org.apache.camel.spi.Metadata;

/** Headers of the llm: component. Headers in override endpoint options for one message. */
public final class LlmConstants {

    // ---- out ----
    @Metadata(label = "producer", description = "The provider that answered (after any fallback).", javaType = "String")
    public static final String PROVIDER = "CamelLlmProvider";
    @Metadata(label = "producer", description = "In: the model to use for this message. Out: the model that answered.",
              javaType = "String")
    public static final String MODEL = "CamelLlmModel";
    @Metadata(label = "producer",
              description = "Why generation stopped, normalised: stop, length, tool_calls, content_filter or error.",
              javaType = "String")
    public static final String FINISH_REASON = "CamelLlmFinishReason";
    @Metadata(label = "producer", description = "The provider's own finish reason, unchanged.", javaType = "String")
    public static final String RAW_FINISH_REASON = "CamelLlmRawFinishReason";
    @Metadata(label = "producer", description = "Input (prompt) tokens reported by the provider.", javaType = "long")
    public static final String INPUT_TOKENS = "CamelLlmInputTokens";
    @Metadata(label = "producer", description = "Output (completion) tokens reported by the provider.", javaType = "long")
    public static final String OUTPUT_TOKENS = "CamelLlmOutputTokens";
    @Metadata(label = "producer", description = "Operation countTokens: true when the count is exact (a local model's "
              + "tokenizer and chat template), false when it is an estimate (about four characters a token).",
              javaType = "Boolean")
    public static final String TOKEN_COUNT_EXACT = "CamelLlmTokenCountExact";
    @Metadata(label = "producer", description = "Prompt-cache tokens read, when the provider reports them.", javaType = "long")
    public static final String CACHE_READ_TOKENS = "CamelLlmCacheReadTokens";
    @Metadata(label = "producer", description = "Prompt-cache tokens written, when the provider reports them.",
              javaType = "long")
    public static final String CACHE_WRITE_TOKENS = "CamelLlmCacheWriteTokens";
    @Metadata(label = "producer", description = "The tool calls the model asked for (empty when none).",
              javaType = "java.util.List<dev.camelllm.api.ToolCall>")
    public static final String TOOL_CALLS = "CamelLlmToolCalls";
    @Metadata(label = "producer", description = "The model's thinking/reasoning text, when there is any.",
              javaType = "String")
    public static final String THINKING = "CamelLlmThinking";
    @Metadata(label = "producer", description = "Milliseconds from the request to the first streamed token (streaming only).",
              javaType = "long")
    public static final String TIME_TO_FIRST_TOKEN_MS = "CamelLlmTimeToFirstTokenMs";
    @Metadata(label = "producer", description = "Output tokens per second of generation.", javaType = "double")
    public static final String TOKENS_PER_SECOND = "CamelLlmTokensPerSecond";
    @Metadata(label = "producer", description = "Milliseconds the whole call took.", javaType = "long")
    public static final String DURATION_MS = "CamelLlmDurationMs";

    @Metadata(label = "producer", description = "Attempts it took to get the answer (1 when the first succeeded), over all fallbacks.",
              javaType = "int")
    public static final String ATTEMPTS = "CamelLlmAttempts";
    @Metadata(label = "producer", description = "The fallback profile that answered, when the endpoint's own provider failed.",
              javaType = "String")
    public static final String FALLBACK = "CamelLlmFallback";

    @Metadata(label = "producer", description = "What the call cost in USD, from the component's price table (prices), "
                                                 + "when the answering model has a price.", javaType = "double")
    public static final String COST = "CamelLlmCost";

    @Metadata(label = "producer", description = "Whether the answer came from the profile's response cache (true) or from "
                                                 + "the provider (false); set only when the cache was looked up.",
              javaType = "Boolean")
    public static final String CACHE_HIT = "CamelLlmCacheHit";

    @Metadata(label = "producer", description = "Which cache answered, on a hit: exact (the same request) or semantic "
                                                 + "(a prompt that means nearly the same, semanticCache).",
              javaType = "String")
    public static final String CACHE_HIT_KIND = "CamelLlmCacheHitKind";

    @Metadata(label = "producer", description = "The cosine similarity of the prompt to the closest prompt in the "
                                                 + "semantic cache (hit or miss), when the semantic cache compared any.",
              javaType = "Double")
    public static final String CACHE_SIMILARITY = "CamelLlmCacheSimilarity";

    @Metadata(label = "producer", description = "The LlmException of a failed call, kept for LlmErrors.rethrow "
                                                 + "(to fail an exchange after a doTry inside Camel's circuitBreaker EIP).",
              javaType = "dev.camelllm.api.LlmException")
    public static final String ERROR = "CamelLlmError";

    // ---- in ----
    @Metadata(label = "producer", description = "System prompt for this message (overrides the systemPrompt option).",
              javaType = "String")
    public static final String SYSTEM_PROMPT = "CamelLlmSystemPrompt";
    @Metadata(label = "producer", description = "The task (profile) to use for this message, for dynamic routing.",
              javaType = "String")
    public static final String TASK = "CamelLlmTask";
    @Metadata(label = "producer", description = "Max output tokens for this message.", javaType = "Integer")
    public static final String MAX_TOKENS = "CamelLlmMaxTokens";
    @Metadata(label = "producer", description = "Sampling temperature for this message.", javaType = "Double")
    public static final String TEMPERATURE = "CamelLlmTemperature";
    @Metadata(label = "producer",
              description = "Tools for this message: a List of ToolSpec, or a JSON array of {name, description, parameters}.",
              javaType = "Object")
    public static final String TOOLS = "CamelLlmTools";
    @Metadata(label = "producer", description = "Tool choice for this message: auto, none, required or a tool name.",
              javaType = "String")
    public static final String TOOL_CHOICE = "CamelLlmToolChoice";
    @Metadata(label = "producer", description = "Thinking budget in tokens for this message (0 turns thinking off).",
              javaType = "Integer")
    public static final String THINKING_BUDGET = "CamelLlmThinkingBudget";
    @Metadata(label = "producer", description = "Stream this message (true) or not (false), overriding the stream option.",
              javaType = "Boolean")
    public static final String STREAM = "CamelLlmStream";
    @Metadata(label = "producer", description = "The response cache for this message: true (use it, even when the profile's "
                                                 + "cache option is off), false or no-store (neither read nor write it), no-cache "
                                                 + "(ask the provider, then cache the fresh answer).",
              javaType = "String")
    public static final String CACHE = "CamelLlmCache";

    @Metadata(label = "producer", description = "In: the whole call's deadline in milliseconds for this message (overrides the deadline option): every attempt, wait and fallback fits inside it.",
              javaType = "Long")
    public static final String DEADLINE = "CamelLlmDeadline";

    @Metadata(label = "producer", description = "Tool loop: rounds of tool calls it took to get the answer (0 when the model called none).",
              javaType = "int")
    public static final String TOOL_ROUNDS = "CamelLlmToolRounds";
    @Metadata(label = "producer", description = "Structured output (a JSON responseFormat or outputClass): how many times the answer was asked again, with its validation errors, before it validated (0: the first answer was valid).",
              javaType = "int")
    public static final String STRUCTURED_OUTPUT_REPAIRS = "CamelLlmStructuredOutputRepairs";
    @Metadata(label = "producer", description = "Tool loop, on the exchange sent to a tool endpoint: the id of the tool call.",
              javaType = "String")
    public static final String TOOL_CALL_ID = "CamelLlmToolCallId";
    @Metadata(label = "producer", description = "Tool loop, on the exchange sent to a tool endpoint: the name of the tool called.",
              javaType = "String")
    public static final String TOOL_NAME = "CamelLlmToolName";

    @Metadata(label = "producer", description = "Operation analyze: the instruction for this message (overrides the instruction option).",
              javaType = "String")
    public static final String INSTRUCTION = "CamelLlmInstruction";


    @Metadata(label = "producer", description = "Operation embed. In: shorter vectors to ask for (models that support it, "
              + "e.g. OpenAI's text-embedding-3-*; others refuse another length with INVALID_REQUEST). Out: the length of "
              + "the vectors.", javaType = "Integer")
    public static final String EMBEDDING_DIMENSIONS = "CamelLlmEmbeddingDimensions";

    /** Exchange property holding the finished {@link dev.camelllm.api.ChatResponse} (also after a streamed split). */
    public static final String RESPONSE_PROPERTY = "CamelLlmResponse";

    /**
     * Exchange property: a {@link dev.camelllm.execution.Cancellation} that cancels the exchange's llm: call
     * when fired (the gateway fires it when its client goes away).
     */
    public static final String CANCELLATION_PROPERTY = "CamelLlmCancellation";

    /**
     * Exchange property: the id of the request in its log line and the component's records of it (the
     * dev console's recent requests); the exchange id when unset. The gateway sets it to the id of its
     * {@code x-request-id} response header.
     */
    public static final String REQUEST_ID_PROPERTY = "CamelLlmRequestId";

    /**
     * Exchange property: the name (never the secret) of the gateway key the request came with. The gateway
     * sets it; usage records carry it, and the response cache keeps each key's answers apart.
     */
    public static final String GATEWAY_KEY_PROPERTY = "CamelLlmGatewayKey";

    private LlmConstants() {
    }
}
