package dev.camelllm.component;

import java.util.Map;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of an llm: endpoint. Set on the component they are the defaults of every endpoint; an
 * endpoint works on its own copy.
 */
@Configurer
@UriParams
public class LlmConfiguration implements Cloneable {

    @UriParam(label = "common",
              description = "The provider that answers: openai, anthropic, openai-compatible or onnx (or any provider found on the classpath).")
    private String provider;
    @UriParam(label = "advanced", prefix = "provider.", multiValue = true,
              description = "Options of the provider itself, for a provider the component does not know, e.g. provider.region=eu on the "
                            + "URI, or the provider-options map of a profile in properties. The provider reads them as its settings' extras.")
    private Map<String, Object> providerOptions;
    @UriParam(label = "common",
              description = "The model name, e.g. gpt-4o-mini, claude-sonnet-4-5 or a local model id. Defaults from OPENAI_MODEL / ANTHROPIC_MODEL.")
    private String model;
    @UriParam(label = "common",
              description = "The API base URL. Defaults to the provider's public API; set it for an OpenAI-compatible server or for your own proxy (then no key is needed).")
    private String baseUrl;
    @UriParam(label = "security", secret = true,
              description = "The provider API key. Defaults from OPENAI_API_KEY / ANTHROPIC_API_KEY. Never logged.")
    private String apiKey;
    @UriParam(label = "common",
              description = "System prompt sent with every message (the CamelLlmSystemPrompt header overrides it).")
    private String systemPrompt;
    @UriParam(label = "common",
              description = "Maximum number of output tokens. Defaults from OPENAI_MAX_TOKENS / ANTHROPIC_MAX_TOKENS; Anthropic requires one (1024 when unset).")
    private Integer maxTokens;
    @UriParam(label = "common",
              description = "Sampling temperature. Defaults from OPENAI_TEMPERATURE; unset means the provider's default.")
    private Double temperature;
    @UriParam(label = "advanced",
              description = "Nucleus sampling: the probability mass of tokens to sample from.")
    private Double topP;
    @UriParam(label = "advanced",
              description = "Sample from the k most likely tokens only (Anthropic, local models and some compatible servers).")
    private Integer topK;
    @UriParam(label = "advanced",
              description = "Comma-separated sequences that stop generation.")
    private String stopSequences;
    @UriParam(label = "advanced",
              description = "Seed for reproducible sampling, where the provider supports it.")
    private Long seed;
    @UriParam(label = "common", defaultValue = "false",
              description = "Stream the answer: the body becomes a lazy Iterator over the chunks as they arrive (use split with streaming: true).")
    private boolean stream = false;
    @UriParam(label = "common", defaultValue = "text", enums = "text,chunks",
              description = "What a streamed body yields: text (String deltas of the answer) or chunks (dev.camelllm.api.ChatChunk objects with thinking, tool calls, usage).")
    private String streamFormat = "text";
    @UriParam(label = "common", defaultValue = "false",
              description = "Set the whole dev.camelllm.api.ChatResponse as the body instead of the answer text.")
    private boolean fullResponse = false;
    @UriParam(label = "advanced",
              description = "Tokens the model may spend thinking (Anthropic extended thinking needs at least 1024 and less than maxTokens); unset or 0 turns thinking off.")
    private Integer thinkingBudget;
    @UriParam(label = "advanced",
              description = "How the model uses tools: auto, none, required, or the name of one tool it must call.")
    private String toolChoice;
    @UriParam(label = "advanced",
              description = "The tools the model may call, as a JSON array of {name, description, parameters} (parameters is a JSON schema). The CamelLlmTools header overrides it.")
    private String tools;
    @UriParam(label = "advanced",
              description = "The answer's format: text, json_object, or a JSON schema object (becomes a strict json_schema response format).")
    private String responseFormat;
    @UriParam(label = "timeouts", defaultValue = "120000",
              description = "Milliseconds to wait for data from the upstream: the whole answer when not streaming, the first byte and each further chunk when streaming.")
    private long timeout = 120000L;
    @UriParam(label = "timeouts", defaultValue = "300000",
              description = "Milliseconds the whole call may take, over every attempt, retry backoff, rate-limit and concurrency wait and fallback (the CamelLlmDeadline header overrides it per exchange). Each attempt gets the time that is left; when it has passed the call fails with a TIMEOUT error that says what used the time. A stream must produce its first output within it; after that streamIdleTimeout applies.")
    private long deadline = 300000L;
    @UriParam(label = "resilience", defaultValue = "1000",
              description = "Most calls in flight at once through this endpoint's profile (a stream counts until it ends); one more is shed at once with a retryable OVERLOADED error, never queued. The component's maxInFlight caps all profiles together.")
    private int maxInFlight = 1000;
    @UriParam(label = "openai-compatible", enums = "max_tokens,max_completion_tokens",
              description = "The request field for the output limit: max_completion_tokens (OpenAI default) or max_tokens (most OpenAI-compatible servers; the openai-compatible default).")
    private String maxTokensField;
    @UriParam(label = "openai-compatible",
              description = "Send stream_options.include_usage to get token usage at the end of a stream (default true for openai, false for openai-compatible since some servers reject it).")
    private Boolean streamUsage;
    @UriParam(label = "openai-compatible", defaultValue = "Authorization",
              description = "The header that carries the key (e.g. Authorization, api-key, x-api-key).")
    private String authHeader = "Authorization";
    @UriParam(label = "openai-compatible", defaultValue = "Bearer",
              description = "The scheme written before the key in the auth header; empty for none.")
    private String authScheme = "Bearer";
    @UriParam(label = "openai-compatible", defaultValue = "auto", enums = "auto,reasoning_content,reasoning,think_tags,none",
              description = "Where an OpenAI-compatible server puts reasoning: auto (reasoning_content, reasoning or inline think tags), reasoning_content, reasoning, think_tags or none.")
    private String reasoningFormat = "auto";
    @UriParam(label = "anthropic", defaultValue = "2023-06-01",
              description = "The anthropic-version header.")
    private String anthropicVersion = "2023-06-01";
    @UriParam(label = "resilience",
              description = "Retries after a failed attempt (provider errors, network errors, timeouts, 429 rate limits), with exponential backoff and jitter; per-request errors are never retried. Defaults from RETRY_MAX_RETRIES, else 3.")
    private Integer maxRetries;
    @UriParam(label = "resilience",
              description = "Milliseconds before the first retry. Defaults from RETRY_INITIAL_DELAY_MS, else 1000.")
    private Long retryInitialDelay;
    @UriParam(label = "resilience", defaultValue = "2.0",
              description = "Factor by which the backoff grows with each retry.")
    private double retryMultiplier = 2.0;
    @UriParam(label = "resilience",
              description = "Upper bound in milliseconds of one backoff. Defaults from RETRY_MAX_DELAY_MS, else 10000.")
    private Long retryMaxDelay;
    @UriParam(label = "resilience", defaultValue = "0.2",
              description = "Random spread of each backoff, as a fraction of it (0.2 = plus or minus 20 %).")
    private double retryJitter = 0.2;
    @UriParam(label = "resilience", defaultValue = "60000",
              description = "Upper bound in milliseconds on the wait a retry-after / retry-after-ms header asks for.")
    private long maxRetryAfter = 60000L;
    @UriParam(label = "resilience",
              description = "Requests per minute allowed to this endpoint's group (token bucket). Defaults from RATE_LIMIT_PER_MINUTE; 0 or unset means no limit.")
    private Integer rateLimitPerMinute;
    @UriParam(label = "resilience",
              description = "Requests per hour allowed to this endpoint's group. Defaults from RATE_LIMIT_PER_HOUR; 0 or unset means no limit.")
    private Integer rateLimitPerHour;
    @UriParam(label = "resilience", defaultValue = "0",
              description = "Tokens (input plus output) per minute allowed to this endpoint's group: estimated before each call, corrected from the real usage after it. 0 means no limit.")
    private int tokensPerMinute = 0;
    @UriParam(label = "resilience", defaultValue = "wait", enums = "wait,fail",
              description = "At a rate limit: wait (up to rateLimitMaxWait) or fail at once with a typed error.")
    private String rateLimitMode = "wait";
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds a call may wait for the rate limit before it fails.")
    private long rateLimitMaxWait = 30000L;
    @UriParam(label = "resilience",
              description = "Most requests in flight at once in this endpoint's group (a bulkhead; a stream counts until it ends). Defaults from MAX_CONCURRENT_REQUESTS; 0 or unset means no cap.")
    private Integer maxConcurrentRequests;
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds a request may wait for a free slot under maxConcurrentRequests before it fails.")
    private long maxConcurrentWait = 30000L;
    @UriParam(label = "resilience",
              description = "Endpoints of the same group share their rate limits, concurrency cap and circuit breaker. Defaults to the provider, its base URL (for onnx: the model) and a hash of the API key; endpoints of one group must set the same limits, else they fail at start.")
    private String resilienceGroup;
    @UriParam(label = "timeouts", defaultValue = "0",
              description = "Milliseconds a stream may take to produce its first output (text, thinking or tool call); then it is retried or falls back. 0 means only timeout applies.")
    private long firstTokenTimeout = 0L;
    @UriParam(label = "timeouts", defaultValue = "0",
              description = "Milliseconds a stream may stall between two chunks before it fails. 0 means the timeout option.")
    private long streamIdleTimeout = 0L;
    @UriParam(label = "resilience", defaultValue = "false",
              description = "Open a circuit breaker for this endpoint's group when provider failures (5xx, overload, network, timeouts) pass circuitBreakerFailureRate; per-request errors never count.")
    private boolean circuitBreaker = false;
    @UriParam(label = "resilience", defaultValue = "50",
              description = "Failure rate in percent at which the breaker opens.")
    private float circuitBreakerFailureRate = 50f;
    @UriParam(label = "resilience", defaultValue = "5",
              description = "Calls the breaker needs to see before it computes a failure rate.")
    private int circuitBreakerMinimumCalls = 5;
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds the breaker stays open before it lets one trial call through.")
    private long circuitBreakerOpenDuration = 30000L;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles (llm: endpoint names) tried in order when this one fails with a provider error, an exhausted rate limit or an open breaker. Never after output has started.")
    private String fallbacks;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles tried in order when the prompt does not fit this model's context window (e.g. a larger-context model).")
    private String contextWindowFallbacks;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles tried in order when this provider refuses the content (content filter or refusal).")
    private String contentPolicyFallbacks;
    @UriParam(label = "observability",
              description = "Most this endpoint's profile may spend in USD per budgetPeriod, priced from the component's prices table; then its calls fail with LlmBudgetExceededException (its fallbacks still apply). Unset means no budget.")
    private Double budget;
    @UriParam(label = "observability", defaultValue = "day", enums = "day,total",
              description = "The period of budget: day (resets at midnight UTC) or total (since the application started).")
    private String budgetPeriod = "day";
    @UriParam(label = "observability", defaultValue = "false",
              description = "Log each prompt and completion at DEBUG on the dev.camelllm.requests logger. Off by default: prompts may hold personal data.")
    private boolean logPrompts = false;

    @UriParam(label = "onnx",
              description = "Local models (provider onnx): a local directory in the Hugging Face layout (config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx). Set this or modelId.")
    private String modelPath;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): a Hugging Face repository id such as onnx-community/Qwen3-0.6B-ONNX, downloaded once from hubBaseUrl into cacheDir (only the files needed). Set this or modelPath.")
    private String modelId;
    @UriParam(label = "onnx", defaultValue = "https://huggingface.co",
              description = "Local models (provider onnx): the hub that modelId is downloaded from, as {hubBaseUrl}/{modelId}/resolve/main/{file}; a mirror or an internal proxy works too.")
    private String hubBaseUrl = "https://huggingface.co";
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): where downloaded models are kept, in the Hugging Face cache layout. Defaults to $HF_HOME/hub, else ~/.cache/huggingface/hub.")
    private String cacheDir;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): which ONNX file of the model to run: fp32 (onnx/model.onnx), fp16, q4, q4f16, int8, uint8, quantized, bnb4 (onnx/model_<variant>.onnx) or a path ending in .onnx. Default: the first present of q4, int8, quantized, fp32 on CPU and fp16, q4f16, fp32 on CUDA.")
    private String variant;
    @UriParam(label = "onnx", defaultValue = "auto", enums = "auto,cuda,cpu",
              description = "Local models (provider onnx): where the model runs: auto (CUDA when the CUDA execution provider loads, else CPU), cuda (fail when CUDA is not available) or cpu.")
    private String device = "auto";
    @UriParam(label = "onnx", defaultValue = "1",
              description = "Local models (provider onnx): how many generations run at once on one loaded model; more requests wait in a bounded queue (maxQueuedGenerations), for at most timeout milliseconds.")
    private int maxConcurrentGenerations = 1;
    @UriParam(label = "onnx", defaultValue = "100",
              description = "Local models (provider onnx): how many requests may wait for a generation slot; one more fails at once with a retryable error.")
    private int maxQueuedGenerations = 100;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): threads ONNX Runtime uses inside one operator; unset means ONNX Runtime's default (one per physical core).")
    private Integer intraOpThreads;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): threads ONNX Runtime uses to run independent operators in parallel; unset means ONNX Runtime's default.")
    private Integer interOpThreads;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): the chat template's enable_thinking flag (e.g. Qwen3 reasons in <think> tags when true). Unset leaves the template's default; a request's thinkingBudget overrides it (0 = off, more = on).")
    private Boolean enableThinking;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): penalty for tokens already in the prompt or the answer (1.0 = none, 1.1 is a common value), as in Hugging Face transformers.")
    private Double repetitionPenalty;
    @UriParam(label = "common", defaultValue = "chat", enums = "chat,complete,stream,analyze,healthCheck",
              description = "What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text) or healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error).")
    private String operation = "chat";
    @UriParam(label = "common",
              description = "Operation analyze: what to do with the content in the body, e.g. 'Summarise in one sentence.' (the CamelLlmInstruction header overrides it).")
    private String instruction;
    @UriParam(label = "tools",
              description = "Tool loop: when set (e.g. direct:tool-), each tool call of the answer is sent to the endpoint <prefix><tool name> with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Not with streaming.")
    private String toolEndpointPrefix;
    @UriParam(label = "tools", defaultValue = "5",
              description = "Tool loop: the most rounds of tool calls for one message; a model that still asks for tools after them fails the exchange.")
    private int maxToolRounds = 5;

    public String getProvider() {
        return provider;
    }

    /** The provider that answers: openai, anthropic, openai-compatible or onnx (or any provider found on the classpath). */
    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getModel() {
        return model;
    }

    /** The model name, e.g. gpt-4o-mini, claude-sonnet-4-5 or a local model id. Defaults from OPENAI_MODEL / ANTHROPIC_MODEL. */
    public void setModel(String model) {
        this.model = model;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    /** The API base URL. Defaults to the provider's public API; set it for an OpenAI-compatible server or for your own proxy (then no key is needed). */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    /** The provider API key. Defaults from OPENAI_API_KEY / ANTHROPIC_API_KEY. Never logged. */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getSystemPrompt() {
        return systemPrompt;
    }

    /** System prompt sent with every message (the CamelLlmSystemPrompt header overrides it). */
    public void setSystemPrompt(String systemPrompt) {
        this.systemPrompt = systemPrompt;
    }

    public Integer getMaxTokens() {
        return maxTokens;
    }

    /** Maximum number of output tokens. Defaults from OPENAI_MAX_TOKENS / ANTHROPIC_MAX_TOKENS; Anthropic requires one (1024 when unset). */
    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    public Double getTemperature() {
        return temperature;
    }

    /** Sampling temperature. Defaults from OPENAI_TEMPERATURE; unset means the provider's default. */
    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    public Double getTopP() {
        return topP;
    }

    /** Nucleus sampling: the probability mass of tokens to sample from. */
    public void setTopP(Double topP) {
        this.topP = topP;
    }

    public Integer getTopK() {
        return topK;
    }

    /** Sample from the k most likely tokens only (Anthropic, local models and some compatible servers). */
    public void setTopK(Integer topK) {
        this.topK = topK;
    }

    public String getStopSequences() {
        return stopSequences;
    }

    /** Comma-separated sequences that stop generation. */
    public void setStopSequences(String stopSequences) {
        this.stopSequences = stopSequences;
    }

    public Long getSeed() {
        return seed;
    }

    /** Seed for reproducible sampling, where the provider supports it. */
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public boolean isStream() {
        return stream;
    }

    /** Stream the answer: the body becomes a lazy Iterator over the chunks as they arrive (use split with streaming: true). */
    public void setStream(boolean stream) {
        this.stream = stream;
    }

    public String getStreamFormat() {
        return streamFormat;
    }

    /** What a streamed body yields: text (String deltas of the answer) or chunks (dev.camelllm.api.ChatChunk objects with thinking, tool calls, usage). */
    public void setStreamFormat(String streamFormat) {
        this.streamFormat = streamFormat;
    }

    public boolean isFullResponse() {
        return fullResponse;
    }

    /** Set the whole dev.camelllm.api.ChatResponse as the body instead of the answer text. */
    public void setFullResponse(boolean fullResponse) {
        this.fullResponse = fullResponse;
    }

    public Integer getThinkingBudget() {
        return thinkingBudget;
    }

    /** Tokens the model may spend thinking (Anthropic extended thinking needs at least 1024 and less than maxTokens); unset or 0 turns thinking off. */
    public void setThinkingBudget(Integer thinkingBudget) {
        this.thinkingBudget = thinkingBudget;
    }

    public String getToolChoice() {
        return toolChoice;
    }

    /** How the model uses tools: auto, none, required, or the name of one tool it must call. */
    public void setToolChoice(String toolChoice) {
        this.toolChoice = toolChoice;
    }

    public String getTools() {
        return tools;
    }

    /** The tools the model may call, as a JSON array of {name, description, parameters} (parameters is a JSON schema). The CamelLlmTools header overrides it. */
    public void setTools(String tools) {
        this.tools = tools;
    }

    public String getResponseFormat() {
        return responseFormat;
    }

    /** The answer's format: text, json_object, or a JSON schema object (becomes a strict json_schema response format). */
    public void setResponseFormat(String responseFormat) {
        this.responseFormat = responseFormat;
    }

    public long getTimeout() {
        return timeout;
    }

    /** Milliseconds to wait for data from the upstream: the whole answer when not streaming, the first byte and each further chunk when streaming. */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public String getMaxTokensField() {
        return maxTokensField;
    }

    /** The request field for the output limit: max_completion_tokens (OpenAI default) or max_tokens (most OpenAI-compatible servers; the openai-compatible default). */
    public void setMaxTokensField(String maxTokensField) {
        this.maxTokensField = maxTokensField;
    }

    public Boolean getStreamUsage() {
        return streamUsage;
    }

    /** Send stream_options.include_usage to get token usage at the end of a stream (default true for openai, false for openai-compatible since some servers reject it). */
    public void setStreamUsage(Boolean streamUsage) {
        this.streamUsage = streamUsage;
    }

    public String getAuthHeader() {
        return authHeader;
    }

    /** The header that carries the key (e.g. Authorization, api-key, x-api-key). */
    public void setAuthHeader(String authHeader) {
        this.authHeader = authHeader;
    }

    public String getAuthScheme() {
        return authScheme;
    }

    /** The scheme written before the key in the auth header; empty for none. */
    public void setAuthScheme(String authScheme) {
        this.authScheme = authScheme;
    }

    public String getReasoningFormat() {
        return reasoningFormat;
    }

    /** Where an OpenAI-compatible server puts reasoning: auto (reasoning_content, reasoning or inline think tags), reasoning_content, reasoning, think_tags or none. */
    public void setReasoningFormat(String reasoningFormat) {
        this.reasoningFormat = reasoningFormat;
    }

    public String getAnthropicVersion() {
        return anthropicVersion;
    }

    /** The anthropic-version header. */
    public void setAnthropicVersion(String anthropicVersion) {
        this.anthropicVersion = anthropicVersion;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    /** Retries after a failed attempt (provider errors, network errors, timeouts, 429 rate limits), with exponential backoff and jitter; per-request errors are never retried. Defaults from RETRY_MAX_RETRIES, else 3. */
    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Long getRetryInitialDelay() {
        return retryInitialDelay;
    }

    /** Milliseconds before the first retry. Defaults from RETRY_INITIAL_DELAY_MS, else 1000. */
    public void setRetryInitialDelay(Long retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public double getRetryMultiplier() {
        return retryMultiplier;
    }

    /** Factor by which the backoff grows with each retry. */
    public void setRetryMultiplier(double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public Long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    /** Upper bound in milliseconds of one backoff. Defaults from RETRY_MAX_DELAY_MS, else 10000. */
    public void setRetryMaxDelay(Long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public double getRetryJitter() {
        return retryJitter;
    }

    /** Random spread of each backoff, as a fraction of it (0.2 = plus or minus 20 %). */
    public void setRetryJitter(double retryJitter) {
        this.retryJitter = retryJitter;
    }

    public long getMaxRetryAfter() {
        return maxRetryAfter;
    }

    /** Upper bound in milliseconds on the wait a retry-after / retry-after-ms header asks for. */
    public void setMaxRetryAfter(long maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public Integer getRateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    /** Requests per minute allowed to this endpoint's group (token bucket). Defaults from RATE_LIMIT_PER_MINUTE; 0 or unset means no limit. */
    public void setRateLimitPerMinute(Integer rateLimitPerMinute) {
        this.rateLimitPerMinute = rateLimitPerMinute;
    }

    public Integer getRateLimitPerHour() {
        return rateLimitPerHour;
    }

    /** Requests per hour allowed to this endpoint's group. Defaults from RATE_LIMIT_PER_HOUR; 0 or unset means no limit. */
    public void setRateLimitPerHour(Integer rateLimitPerHour) {
        this.rateLimitPerHour = rateLimitPerHour;
    }

    public int getTokensPerMinute() {
        return tokensPerMinute;
    }

    /** Tokens (input plus output) per minute allowed to this endpoint's group: estimated before each call, corrected from the real usage after it. 0 means no limit. */
    public void setTokensPerMinute(int tokensPerMinute) {
        this.tokensPerMinute = tokensPerMinute;
    }

    public String getRateLimitMode() {
        return rateLimitMode;
    }

    /** At a rate limit: wait (up to rateLimitMaxWait) or fail at once with a typed error. */
    public void setRateLimitMode(String rateLimitMode) {
        this.rateLimitMode = rateLimitMode;
    }

    public long getRateLimitMaxWait() {
        return rateLimitMaxWait;
    }

    /** Milliseconds a call may wait for the rate limit before it fails. */
    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        this.rateLimitMaxWait = rateLimitMaxWait;
    }

    public Integer getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** Most requests in flight at once in this endpoint's group (a bulkhead; a stream counts until it ends). Defaults from MAX_CONCURRENT_REQUESTS; 0 or unset means no cap. */
    public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public long getMaxConcurrentWait() {
        return maxConcurrentWait;
    }

    /** Milliseconds a request may wait for a free slot under maxConcurrentRequests before it fails. */
    public void setMaxConcurrentWait(long maxConcurrentWait) {
        this.maxConcurrentWait = maxConcurrentWait;
    }

    public String getResilienceGroup() {
        return resilienceGroup;
    }

    /** Endpoints of the same group share their rate limits, concurrency cap and circuit breaker. Defaults to the provider, its base URL (for onnx: the model) and a hash of the API key; endpoints of one group must set the same limits, else they fail at start. */
    public void setResilienceGroup(String resilienceGroup) {
        this.resilienceGroup = resilienceGroup;
    }

    public long getFirstTokenTimeout() {
        return firstTokenTimeout;
    }

    /** Milliseconds a stream may take to produce its first output (text, thinking or tool call); then it is retried or falls back. 0 means only timeout applies. */
    public void setFirstTokenTimeout(long firstTokenTimeout) {
        this.firstTokenTimeout = firstTokenTimeout;
    }

    public long getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    /** Milliseconds a stream may stall between two chunks before it fails. 0 means the timeout option. */
    public void setStreamIdleTimeout(long streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
    }

    public boolean isCircuitBreaker() {
        return circuitBreaker;
    }

    /** Open a circuit breaker for this endpoint's group when provider failures (5xx, overload, network, timeouts) pass circuitBreakerFailureRate; per-request errors never count. */
    public void setCircuitBreaker(boolean circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    public float getCircuitBreakerFailureRate() {
        return circuitBreakerFailureRate;
    }

    /** Failure rate in percent at which the breaker opens. */
    public void setCircuitBreakerFailureRate(float circuitBreakerFailureRate) {
        this.circuitBreakerFailureRate = circuitBreakerFailureRate;
    }

    public int getCircuitBreakerMinimumCalls() {
        return circuitBreakerMinimumCalls;
    }

    /** Calls the breaker needs to see before it computes a failure rate. */
    public void setCircuitBreakerMinimumCalls(int circuitBreakerMinimumCalls) {
        this.circuitBreakerMinimumCalls = circuitBreakerMinimumCalls;
    }

    public long getCircuitBreakerOpenDuration() {
        return circuitBreakerOpenDuration;
    }

    /** Milliseconds the breaker stays open before it lets one trial call through. */
    public void setCircuitBreakerOpenDuration(long circuitBreakerOpenDuration) {
        this.circuitBreakerOpenDuration = circuitBreakerOpenDuration;
    }

    public String getFallbacks() {
        return fallbacks;
    }

    /** Comma-separated profiles (llm: endpoint names) tried in order when this one fails with a provider error, an exhausted rate limit or an open breaker. Never after output has started. */
    public void setFallbacks(String fallbacks) {
        this.fallbacks = fallbacks;
    }

    public String getContextWindowFallbacks() {
        return contextWindowFallbacks;
    }

    /** Comma-separated profiles tried in order when the prompt does not fit this model's context window (e.g. a larger-context model). */
    public void setContextWindowFallbacks(String contextWindowFallbacks) {
        this.contextWindowFallbacks = contextWindowFallbacks;
    }

    public String getContentPolicyFallbacks() {
        return contentPolicyFallbacks;
    }

    /** Comma-separated profiles tried in order when this provider refuses the content (content filter or refusal). */
    public void setContentPolicyFallbacks(String contentPolicyFallbacks) {
        this.contentPolicyFallbacks = contentPolicyFallbacks;
    }

    public Double getBudget() {
        return budget;
    }

    /** Most this endpoint's profile may spend in USD per budgetPeriod; then its calls fail with LlmBudgetExceededException. */
    public void setBudget(Double budget) {
        this.budget = budget;
    }

    public String getBudgetPeriod() {
        return budgetPeriod;
    }

    /** The period of budget: day (resets at midnight UTC) or total (since the application started). */
    public void setBudgetPeriod(String budgetPeriod) {
        this.budgetPeriod = budgetPeriod;
    }

    public boolean isLogPrompts() {
        return logPrompts;
    }

    /** Log each prompt and completion at DEBUG on the dev.camelllm.requests logger. */
    public void setLogPrompts(boolean logPrompts) {
        this.logPrompts = logPrompts;
    }

    /** The read timeout of a stream: streamIdleTimeout when set, else timeout (milliseconds). */
    public long streamReadTimeoutMillis() {
        return streamIdleTimeout > 0 ? streamIdleTimeout : timeout;
    }

    public String getModelPath() {
        return modelPath;
    }

    /** Local models (provider onnx): a local directory in the Hugging Face layout (config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx). Set this or modelId. */
    public void setModelPath(String modelPath) {
        this.modelPath = modelPath;
    }

    public String getModelId() {
        return modelId;
    }

    /** Local models (provider onnx): a Hugging Face repository id such as onnx-community/Qwen3-0.6B-ONNX, downloaded once from hubBaseUrl into cacheDir (only the files needed). Set this or modelPath. */
    public void setModelId(String modelId) {
        this.modelId = modelId;
    }

    public String getHubBaseUrl() {
        return hubBaseUrl;
    }

    /** Local models (provider onnx): the hub that modelId is downloaded from, as {hubBaseUrl}/{modelId}/resolve/main/{file}; a mirror or an internal proxy works too. */
    public void setHubBaseUrl(String hubBaseUrl) {
        this.hubBaseUrl = hubBaseUrl;
    }

    public String getCacheDir() {
        return cacheDir;
    }

    /** Local models (provider onnx): where downloaded models are kept, in the Hugging Face cache layout. Defaults to $HF_HOME/hub, else ~/.cache/huggingface/hub. */
    public void setCacheDir(String cacheDir) {
        this.cacheDir = cacheDir;
    }

    public String getVariant() {
        return variant;
    }

    /** Local models (provider onnx): which ONNX file of the model to run: fp32 (onnx/model.onnx), fp16, q4, q4f16, int8, uint8, quantized, bnb4 (onnx/model_<variant>.onnx) or a path ending in .onnx. Default: the first present of q4, int8, quantized, fp32 on CPU and fp16, q4f16, fp32 on CUDA. */
    public void setVariant(String variant) {
        this.variant = variant;
    }

    public String getDevice() {
        return device;
    }

    /** Local models (provider onnx): where the model runs: auto (CUDA when the CUDA execution provider loads, else CPU), cuda (fail when CUDA is not available) or cpu. */
    public void setDevice(String device) {
        this.device = device;
    }

    public int getMaxConcurrentGenerations() {
        return maxConcurrentGenerations;
    }

    /** Local models (provider onnx): how many generations run at once on one loaded model; more requests wait in a bounded queue (maxQueuedGenerations), for at most timeout milliseconds. */
    public void setMaxConcurrentGenerations(int maxConcurrentGenerations) {
        this.maxConcurrentGenerations = maxConcurrentGenerations;
    }

    public int getMaxQueuedGenerations() {
        return maxQueuedGenerations;
    }

    /** Local models (provider onnx): how many requests may wait for a generation slot; one more fails at once with a retryable error. */
    public void setMaxQueuedGenerations(int maxQueuedGenerations) {
        this.maxQueuedGenerations = maxQueuedGenerations;
    }

    public Integer getIntraOpThreads() {
        return intraOpThreads;
    }

    /** Local models (provider onnx): threads ONNX Runtime uses inside one operator; unset means ONNX Runtime's default (one per physical core). */
    public void setIntraOpThreads(Integer intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public Integer getInterOpThreads() {
        return interOpThreads;
    }

    /** Local models (provider onnx): threads ONNX Runtime uses to run independent operators in parallel; unset means ONNX Runtime's default. */
    public void setInterOpThreads(Integer interOpThreads) {
        this.interOpThreads = interOpThreads;
    }

    public Boolean getEnableThinking() {
        return enableThinking;
    }

    /** Local models (provider onnx): the chat template's enable_thinking flag (e.g. Qwen3 reasons in <think> tags when true). Unset leaves the template's default; a request's thinkingBudget overrides it (0 = off, more = on). */
    public void setEnableThinking(Boolean enableThinking) {
        this.enableThinking = enableThinking;
    }

    public Double getRepetitionPenalty() {
        return repetitionPenalty;
    }

    /** Local models (provider onnx): penalty for tokens already in the prompt or the answer (1.0 = none, 1.1 is a common value), as in Hugging Face transformers. */
    public void setRepetitionPenalty(Double repetitionPenalty) {
        this.repetitionPenalty = repetitionPenalty;
    }

    public String getOperation() {
        return operation;
    }

    /** What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text) or healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error). */
    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getInstruction() {
        return instruction;
    }

    /** Operation analyze: what to do with the content in the body, e.g. 'Summarise in one sentence.' (the CamelLlmInstruction header overrides it). */
    public void setInstruction(String instruction) {
        this.instruction = instruction;
    }

    public String getToolEndpointPrefix() {
        return toolEndpointPrefix;
    }

    /** Tool loop: when set (e.g. direct:tool-), each tool call of the answer is sent to the endpoint <prefix><tool name> with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Not with streaming. */
    public void setToolEndpointPrefix(String toolEndpointPrefix) {
        this.toolEndpointPrefix = toolEndpointPrefix;
    }

    public int getMaxToolRounds() {
        return maxToolRounds;
    }

    /** Tool loop: the most rounds of tool calls for one message; a model that still asks for tools after them fails the exchange. */
    public void setMaxToolRounds(int maxToolRounds) {
        this.maxToolRounds = maxToolRounds;
    }

    public Map<String, Object> getProviderOptions() {
        return providerOptions;
    }

    /** Options of the provider itself (e.g. provider.region=eu on the URI), for a provider the component does not know. */
    public void setProviderOptions(Map<String, Object> providerOptions) {
        this.providerOptions = providerOptions;
    }

    public long getDeadline() {
        return deadline;
    }

    /** Milliseconds the whole call may take, over every attempt, wait and fallback. */
    public void setDeadline(long deadline) {
        this.deadline = deadline;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /** Most calls in flight at once through this endpoint's profile; one more is shed at once. */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public LlmConfiguration copy() {
        try {
            return (LlmConfiguration) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
