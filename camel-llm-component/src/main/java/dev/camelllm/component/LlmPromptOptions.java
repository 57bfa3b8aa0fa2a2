package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * What is asked of the model: system prompt, sampling, output limit, thinking, tools and the answer format.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmPromptOptions extends LlmProviderOptions {

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
              description = "The answer's format: text, json_object, a JSON schema inline (or a whole OpenAI response_format object), a schema file (resource:classpath:schemas/ticket.json, file:/path/schema.json), or json_schema with outputClass. With a JSON format every answer is validated and an invalid one re-asked (structuredOutputRetries).")
    private String responseFormat;
    @UriParam(label = "advanced",
              description = "A Java record or POJO (fully qualified class name) that the answer becomes: the body is that object, read by Jackson. Without a responseFormat schema, the schema is derived from the class (every property required, no others allowed).")
    private String outputClass;
    @UriParam(label = "advanced", defaultValue = "2",
              description = "How many times an answer that is not valid JSON for the response format is asked again, with the validation errors; then the exchange fails with LlmStructuredOutputException (kind INVALID_OUTPUT). 0 asks once.")
    private int structuredOutputRetries = 2;

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

    public String getOutputClass() {
        return outputClass;
    }

    /** A Java record or POJO (fully qualified class name) that the answer becomes. */
    public void setOutputClass(String outputClass) {
        this.outputClass = outputClass;
    }

    public int getStructuredOutputRetries() {
        return structuredOutputRetries;
    }

    /** How many times an invalid structured answer is asked again, with the validation errors. */
    public void setStructuredOutputRetries(int structuredOutputRetries) {
        this.structuredOutputRetries = structuredOutputRetries;
    }
}
