package dev.camelllm.component;

import java.util.Arrays;
import java.util.List;
import java.time.Duration;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.URISupport;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.resilience.Failures;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.resilience.ResilientProvider;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.structured.ResponseFormats;
import dev.camelllm.structured.StructuredOutput;
import dev.camelllm.tools.ToolLoop;
import dev.camelllm.tools.ToolNames;
import dev.camelllm.tools.UnknownToolStrategy;

/**
 * Sends a prompt to a language model, cloud or local, and returns the answer; streamed token by token
 * when asked.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "llm", title = "LLM", syntax = "llm:name", producerOnly = true,
             category = { Category.AI }, headersClass = LlmConstants.class)
public class LlmEndpoint extends DefaultEndpoint {

    @UriPath(description = "The endpoint name: a profile (task) name such as chat, or any name when the options say everything")
    @Metadata(required = true)
    private final String name;
    @UriParam
    private LlmConfiguration configuration;

    private ResilientProvider provider;
    private RequestFactory requestFactory;
    private StructuredOutput structuredOutput;
    private ToolLoop toolLoop;
    private dev.camelllm.execution.InFlightLimit inFlight;

    public LlmEndpoint(String uri, LlmComponent component, String name, LlmConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new LlmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The llm: component has no consumer; use it with to(\"llm:...\")");
    }

    @Override
    public LlmComponent getComponent() {
        return (LlmComponent) super.getComponent();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ResilienceDefaults.apply(configuration, getComponent().environment());
        OptionValidator.validate(configuration);
        // a typo in a chain would otherwise surface only when the primary fails, hiding that failure
        checkProfiles("fallbacks", configuration.getFallbacks());
        checkProfiles("contextWindowFallbacks", configuration.getContextWindowFallbacks());
        checkProfiles("contentPolicyFallbacks", configuration.getContentPolicyFallbacks());
        CacheUse.checkStore(this);
        inFlight = new dev.camelllm.execution.InFlightLimit("maxInFlight of profile '" + name + "'",
                configuration.getMaxInFlight());
        ResponseFormats.Resolved format = ResponseFormats.resolve(getCamelContext(), configuration.getResponseFormat(),
                configuration.getOutputClass());
        try {
            structuredOutput = StructuredOutput.of(format.format(), format.outputClass(),
                    configuration.getStructuredOutputRetries());
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException("Invalid option 'responseFormat': " + e.getMessage());
        }
        requestFactory = new RequestFactory(configuration, format.format());
        checkToolNames();
        ChatProvider raw = getComponent().createProvider(configuration, URISupport.sanitizeUri(getEndpointUri()));
        ResilienceGroup group;
        try {
            // a provider that cannot honour the format (a local model's schema subset) says so now, not per call
            if (format.format() != null) {
                raw.checkResponseFormat(format.format());
            }
            // after createProvider: the provider's environment defaults (the key) are in the configuration
            group = getComponent().group(GroupIds.of(configuration), ResilienceOptions.groupSettings(configuration),
                    new ResilienceGroups.Member(name, URISupport.sanitizeUri(getEndpointUri())));
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
        provider = new ResilientProvider(raw, ResilienceOptions.retryPolicy(configuration), group,
                ResilienceOptions.firstTokenTimeout(configuration), Duration.ofMillis(configuration.getTimeout()),
                getComponent().scheduler());
        String toolPrefix = configuration.getToolEndpointPrefix();
        if (toolPrefix != null && !toolPrefix.isBlank()) {
            toolLoop = new ToolLoop(getCamelContext(), new ToolLoop.Settings(toolPrefix.trim(), configuration.getMaxToolRounds(),
                    configuration.getToolLoopMaxTokens(), UnknownToolStrategy.of(configuration.getUnknownToolStrategy()),
                    configuration.getApiKey()));
        }
        getComponent().observability().endpointStarted(this);
    }

    @Override
    protected void doStop() throws Exception {
        getComponent().observability().endpointStopped(this);
        if (toolLoop != null) {
            toolLoop.close();
            toolLoop = null;
        }
        if (provider != null) {
            provider.close();
            provider = null;
        }
        super.doStop();
    }

    /** With the tool loop, a declared tool whose name cannot be part of a URI fails at start, not at the first message. */
    private void checkToolNames() {
        String prefix = configuration.getToolEndpointPrefix();
        String invalid = prefix == null || prefix.isBlank() ? null : ToolNames.firstInvalid(requestFactory.declaredTools());
        if (invalid != null) {
            throw OptionValidator.invalid("tools", invalid, "with toolEndpointPrefix a tool's name must be 1 to 64 of "
                    + "A-Z a-z 0-9 _ - (it becomes part of the endpoint URI " + prefix.trim() + "<name>)");
        }
    }

    /** The endpoint that serves a task: this one, or the profile the CamelLlmTask header names. */
    LlmEndpoint forTask(String task) {
        if (task == null || task.isBlank() || task.equals(name)) {
            return this;
        }
        if (!getComponent().getProfiles().containsKey(task)) {
            throw new LlmInvalidRequestException(null, null, "Header " + LlmConstants.TASK + " names '" + task
                    + "', which is not a configured profile " + getComponent().getProfiles().keySet());
        }
        return profileEndpoint(task);
    }

    /** The fallback chain for a failure: by its class (context window, content policy, provider failure). */
    List<String> fallbacksFor(LlmException e) {
        String chain;
        if (e.kind() == ErrorKind.CONTEXT_WINDOW) {
            chain = configuration.getContextWindowFallbacks();
        } else if (e.kind() == ErrorKind.CONTENT_POLICY) {
            chain = configuration.getContentPolicyFallbacks();
        } else if (Failures.isFallbackWorthy(e)) {
            chain = configuration.getFallbacks();
        } else {
            chain = null;
        }
        return profiles(chain);
    }

    private static List<String> profiles(String chain) {
        if (chain == null || chain.isBlank()) {
            return List.of();
        }
        return Arrays.stream(chain.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private void checkProfiles(String option, String chain) {
        for (String profile : profiles(chain)) {
            if (!getComponent().getProfiles().containsKey(profile)) {
                throw OptionValidator.invalid(option, chain, "'" + profile + "' is not a configured profile "
                        + getComponent().getProfiles().keySet());
            }
        }
    }

    /** The llm: endpoint of a profile (created and started by Camel on first use). */
    LlmEndpoint profileEndpoint(String profile) {
        // this component's own scheme: it may be registered under another name than llm
        String scheme = org.apache.camel.util.StringHelper.before(getEndpointUri(), ":");
        LlmEndpoint endpoint = getCamelContext().getEndpoint(scheme + ":" + profile, LlmEndpoint.class);
        if (endpoint == null) {
            throw new LlmConfigurationException("No llm: endpoint for profile '" + profile + "'");
        }
        return endpoint;
    }

    /** The cap on this profile's calls in flight. */
    dev.camelllm.execution.InFlightLimit inFlight() {
        return inFlight;
    }

    public String getName() {
        return name;
    }

    public LlmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(LlmConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The provider behind this endpoint, wrapped in its retries, limits and breaker. */
    public ResilientProvider getProvider() {
        return provider;
    }

    /** The tool loop, when toolEndpointPrefix is set; else null. */
    ToolLoop getToolLoop() {
        return toolLoop;
    }

    RequestFactory getRequestFactory() {
        return requestFactory;
    }

    /**
     * The checks for a request's response format: this endpoint's own (with its outputClass) when the request
     * kept the endpoint's format, else checks compiled for the request's format (one a gateway client sent),
     * with this endpoint's retries and no output class. Null when the request asks for no JSON.
     */
    StructuredOutput structuredOutput(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        if (structuredOutput != null && structuredOutput.format().equals(format)) {
            return structuredOutput;
        }
        try {
            return StructuredOutput.of(format, null, configuration.getStructuredOutputRetries());
        } catch (IllegalArgumentException e) {
            // the caller's schema (a gateway client's), not the operator's configuration
            throw new LlmInvalidRequestException(null, request.model(), "Invalid response format: " + e.getMessage());
        }
    }
}
