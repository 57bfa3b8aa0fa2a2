package dev.camelllm.component;

import java.util.Map;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Which provider answers and how it is reached: provider, model, base URL, key, and the wire details of the OpenAI-compatible and Anthropic APIs.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmProviderOptions {

    @UriParam(label = "common",
              description = "The provider that answers: openai, openai-responses, anthropic, azure-openai, gemini, bedrock, openai-compatible or onnx (or any provider found on the classpath).")
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
    @UriParam(label = "advanced", prefix = "provider.", multiValue = true,
              description = "Options of the provider itself, for a provider the component does not know, e.g. provider.region=eu on the "
                            + "URI, or the provider-options map of a profile in properties. The provider reads them as its settings' extras.")
    private Map<String, Object> providerOptions;
    @UriParam(label = "openai-compatible", enums = "max_tokens,max_completion_tokens",
              description = "The request field for the output limit: max_completion_tokens (OpenAI default) or max_tokens (most OpenAI-compatible servers; the openai-compatible default).")
    private String maxTokensField;
    @UriParam(label = "openai-compatible", defaultValue = "true",
              description = "Send stream_options.include_usage to get token usage at the end of a stream (openai and openai-compatible; default true). Set it to false for a compatible server that rejects the field: its streams are then charged to token limits by an estimate from the streamed text.")
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
    @UriParam(label = "bedrock",
              description = "The AWS region of Amazon Bedrock, e.g. us-east-1. Defaults from AWS_REGION, then AWS_DEFAULT_REGION.")
    private String region;
    @UriParam(label = "bedrock,security", secret = true,
              description = "The AWS access key id for Amazon Bedrock (with secretKey). Unset: the AWS default credentials chain. Never logged.")
    private String accessKey;
    @UriParam(label = "bedrock,security", secret = true,
              description = "The AWS secret access key for Amazon Bedrock (with accessKey). Never logged.")
    private String secretKey;
    @UriParam(label = "bedrock,security", secret = true,
              description = "The AWS session token of temporary credentials (with accessKey and secretKey). Never logged.")
    private String sessionToken;

    public String getProvider() {
        return provider;
    }

    /** The provider that answers: openai, openai-responses, anthropic, azure-openai, gemini, bedrock, openai-compatible or onnx (or any provider found on the classpath). */
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

    public Map<String, Object> getProviderOptions() {
        return providerOptions;
    }

    /** Provider-specific options, each set as provider.NAME=VALUE, passed to the provider as they are. */
    public void setProviderOptions(Map<String, Object> providerOptions) {
        this.providerOptions = providerOptions;
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

    /** Send stream_options.include_usage to get token usage at the end of a stream (openai and openai-compatible; default true). Set it to false for a compatible server that rejects the field: its streams are then charged to token limits by an estimate from the streamed text. */
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

    public String getRegion() {
        return region;
    }

    /** The AWS region of Amazon Bedrock, e.g. us-east-1. Defaults from AWS_REGION, then AWS_DEFAULT_REGION. */
    public void setRegion(String region) {
        this.region = region;
    }

    public String getAccessKey() {
        return accessKey;
    }

    /** The AWS access key id for Amazon Bedrock (with secretKey). Unset: the AWS default credentials chain. Never logged. */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    /** The AWS secret access key for Amazon Bedrock (with accessKey). Never logged. */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSessionToken() {
        return sessionToken;
    }

    /** The AWS session token of temporary credentials (with accessKey and secretKey). Never logged. */
    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }
}
