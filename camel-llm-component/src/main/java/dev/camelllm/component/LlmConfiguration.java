package dev.camelllm.component;

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

    @UriParam(label = "common", enums = "openai,anthropic,openai-compatible,onnx",
              description = "The provider that answers: openai, anthropic, openai-compatible or onnx (or any provider found on the classpath).")
    private String provider;
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

    public LlmConfiguration copy() {
        try {
            return (LlmConfiguration) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
