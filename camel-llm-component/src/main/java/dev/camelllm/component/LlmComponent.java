package dev.camelllm.component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.PropertiesHelper;

import io.micrometer.core.instrument.MeterRegistry;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.cache.ResponseCaches;
import dev.camelllm.semantic.SemanticCaches;
import dev.camelllm.execution.Calls;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.observability.LlmObservability;
import dev.camelllm.observability.ModelPrice;
import dev.camelllm.resilience.GroupSettings;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStores;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;

/**
 * The llm: component. Holds what endpoints share: the default options, the pooled HTTP clients (one per
 * proxy and TLS setting), and one instance of each provider factory (so a local model is loaded once).
 */
@Component("llm")
public class LlmComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata(description = "The default options of every llm: endpoint")
    private LlmConfiguration configuration = new LlmConfiguration();
    static final String PROVIDER_OPTION_PREFIX = "provider.";
    @Metadata(label = "advanced",
              description = "Maximum number of pooled HTTP connections, over all providers. Defaults to globalMaxInFlight, so "
                            + "that a call in flight never waits for a connection")
    private Integer maxConnections;
    @Metadata(label = "advanced",
              description = "Maximum number of pooled HTTP connections to one host. Defaults to maxConnections")
    private Integer maxConnectionsPerRoute;
    @Metadata(label = "advanced", defaultValue = "10000",
              description = "Most llm: calls in flight at once over all endpoints (a stream counts until it ends); one more "
                            + "is shed at once with a retryable OVERLOADED error, never queued. The routes app reads it from "
                            + "LLM_MAX_IN_FLIGHT. Each endpoint's own maxInFlight caps its profile within it")
    private int globalMaxInFlight = 10000;
    @Metadata(label = "advanced", defaultValue = "auto", enums = "auto,virtual,platform",
              description = "Where calls run: auto (a virtual thread per call on JDK 21+, else the bounded pool), virtual "
                            + "(virtual threads; an error on Java 17) or platform (the bounded pool of platformThreads)")
    private String executionMode = "auto";
    @Metadata(label = "advanced", defaultValue = "200",
              description = "Java 17 (or executionMode=platform): the size of the bounded pool of platform threads calls "
                            + "run on; when all are busy the next call is shed at once")
    private int platformThreads = 200;
    @Metadata(label = "advanced", defaultValue = "10000",
              description = "Milliseconds to wait for a TCP connection to a provider")
    private long connectTimeout = 10000;
    @Metadata(label = "security", defaultValue = "false",
              description = "Use the Camel context's global SSL context parameters for TLS to providers, health probes and "
                            + "model downloads, where an endpoint sets no sslContextParameters of its own")
    private boolean useGlobalSslContextParameters;

    @Metadata(label = "advanced",
              description = "Named profiles (tasks): llm:NAME uses profile NAME's options over the component's, e.g. "
                            + "camel.component.llm.profiles[chat].provider=onnx")
    private Map<String, LlmConfiguration> profiles = new java.util.LinkedHashMap<>();

    @Metadata(label = "observability",
              description = "Prices by model name, each in USD per million tokens: input, output, cacheRead, cacheWrite "
                            + "(set as prices, keyed by model, in properties: see docs/observability.md). They give the "
                            + "CamelLlmCost header, the llm.cost meter and the budgets")
    private Map<String, ModelPrice> prices = new ConcurrentHashMap<>();
    @Metadata(label = "observability", autowired = true,
              description = "The Micrometer registry for the llm meters. Defaults to the one bound in the Camel registry "
                            + "(camel-micrometer's metricsRegistry, or the only one), else one of the component's own")
    private MeterRegistry meterRegistry;
    @Metadata(label = "observability", autowired = true,
              description = "The OpenTelemetry the llm spans go to (one span per call, its attempts and fallbacks). Defaults to "
                            + "the only one in the Camel registry, else GlobalOpenTelemetry (a no-op unless an SDK is installed, "
                            + "e.g. the autoconfigure SDK set up by the OTEL_* variables)")
    private io.opentelemetry.api.OpenTelemetry openTelemetry;
    @Metadata(label = "observability", defaultValue = "30000",
              description = "Milliseconds the producer health check reuses its last probe of a cloud provider (0 probes on every check)")
    private long healthProbeInterval = 30000;
    @Metadata(label = "observability", defaultValue = "5000",
              description = "Milliseconds the health check's probe of a cloud provider may take")
    private long healthProbeTimeout = 5000;
    @Metadata(label = "advanced", defaultValue = "memory",
              description = "Where rate limits (per resilience group and per gateway key) and budgets keep their state: "
                            + "memory (this instance only, forgotten at restart) or redis://host:port, rediss://host:port "
                            + "(TLS) of a Redis or Valkey server that every instance shares (docs/scaling.md). The routes app "
                            + "reads it from LLM_STATE_STORE")
    private String stateStore = StateStores.MEMORY;
    @Metadata(label = "security", secret = true,
              description = "The password of the stateStore server (Redis AUTH), when it needs one")
    private String stateStorePassword;
    @Metadata(label = "advanced", defaultValue = "fail-open", enums = "fail-open,fail-closed",
              description = "When the stateStore server fails or does not answer within stateStoreTimeout: fail-open "
                            + "(each instance applies the limits and budgets on its own, with a WARN once per outage) or "
                            + "fail-closed (calls are refused with OVERLOADED; the gateway answers 503). Either way the "
                            + "shared state is used again as soon as the server answers")
    private String stateStoreFailureMode = StateStores.FAIL_OPEN;
    @Metadata(label = "advanced", defaultValue = "200",
              description = "Milliseconds a call waits at most for one answer of the stateStore server (less when the "
                            + "call's own deadline is nearer); past it the server counts as down (stateStoreFailureMode)")
    private long stateStoreTimeout = 200;
    private volatile StateStore store;
    @Metadata(label = "observability",
              description = "A Camel endpoint URI that gets one exchange per finished llm: call with its usage record "
                            + "(provider, model, profile, gateway key name, tokens, cost, timings, outcome, request id), "
                            + "e.g. seda:usage, kafka:llm-usage or sql:insert ...; sent asynchronously from a bounded queue, "
                            + "dropped (and counted on llm.usage.records) when the endpoint is down or the queue is full. "
                            + "Unset sends none")
    private String usageEndpoint;
    @Metadata(label = "observability", defaultValue = "10000",
              description = "Most usage records waiting to be sent to usageEndpoint; more are dropped and counted")
    private int usageQueueSize = 10000;
    @Metadata(label = "observability", defaultValue = "record", enums = "record,map,json",
              description = "The body of a usage exchange: record (a dev.camelllm.observability.usage.UsageRecord), map "
                            + "(its snake_case fields, what camel-sql's :#name parameters read) or json")
    private String usageBody = "record";
    private volatile LlmObservability observability;
    private final ResponseCaches responseCaches = new ResponseCaches();
    private final SemanticCaches semanticCaches = new SemanticCaches();
    private final PromptEmbedder promptEmbedder = new PromptEmbedder(this::getCamelContext);

    private Function<String, String> environment = System::getenv;
    private Function<String, String> systemProperties = System::getProperty;
    private final ResilienceGroups groups = new ResilienceGroups();
    private volatile ScheduledExecutorService scheduler;
    private final Map<String, ChatProviderFactory> registered = new ConcurrentHashMap<>();
    private volatile ProviderFactories providers;
    private volatile OutboundNetwork network;
    private volatile Calls calls;
    private volatile ProfileMerger profileMerger;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new LlmConfigurationException("The endpoint needs a name, as in llm:chat?provider=openai");
        }
        LlmConfiguration profile = profiles.get(remaining);
        LlmConfiguration base = profile == null ? configuration.copy() : profileMerger().merge(configuration, profile);
        // provider.<name>=<value>: the provider's own options, over those of the component and the profile
        Map<String, Object> providerOptions = new LinkedHashMap<>();
        if (base.getProviderOptions() != null) {
            providerOptions.putAll(base.getProviderOptions());
        }
        providerOptions.putAll(PropertiesHelper.extractProperties(parameters, PROVIDER_OPTION_PREFIX));
        base.setProviderOptions(providerOptions);
        LlmEndpoint endpoint = new LlmEndpoint(uri, this, remaining, base);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private ProfileMerger profileMerger() {
        // unsynchronized: two threads may each build one, and either does the same
        ProfileMerger m = profileMerger;
        if (m == null) {
            m = new ProfileMerger(getCamelContext());
            profileMerger = m;
        }
        return m;
    }

    /** Creates the provider an endpoint's options describe, failing with the option named. */
    ChatProvider createProvider(LlmConfiguration endpointConfiguration) {
        String name = endpointConfiguration.getProvider();
        if (name == null || name.isBlank()) {
            throw new LlmConfigurationException("Option 'provider' is required: one of " + providers().names());
        }
        ChatProviderFactory factory = providers().find(name.trim());
        return factory.create(ProviderSettingsBuilder.of(endpointConfiguration), providerContext(endpointConfiguration));
    }

    /**
     * The shared services a provider may ask for by type: the pooled HTTP transport of the endpoint's proxy
     * and TLS options, created on first use (and checked then: a bad proxy option fails the route's start).
     */
    private ProviderContext providerContext(LlmConfiguration endpointConfiguration) {
        return new ProviderContext(getCamelContext(), environment,
                type -> type.isAssignableFrom(HttpTransport.class) ? network().transport(endpointConfiguration) : null);
    }

    private ProviderFactories providers() {
        ProviderFactories p = providers;
        if (p == null) {
            synchronized (this) {
                p = providers;
                if (p == null) {
                    p = new ProviderFactories(getCamelContext(), registered);
                    providers = p;
                }
            }
        }
        return p;
    }

    /**
     * The limits, concurrency cap and breaker shared by the endpoints of group {@code id}. The first endpoint
     * creates it; one with other settings fails with a message naming both endpoints and the options that
     * differ.
     */
    ResilienceGroup group(String id, GroupSettings settings, ResilienceGroups.Member endpoint) {
        return groups.join(id, settings, endpoint, g -> observability().bind(g), stateStore());
    }

    /** A timer thread for first-token watchdogs, shared by every endpoint. */
    ScheduledExecutorService scheduler() {
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            synchronized (this) {
                s = scheduler;
                if (s == null) {
                    s = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "llm-watchdog");
                    scheduler = s;
                }
            }
        }
        return s;
    }

    /** The calls in flight and the threads they run on; created when the component starts. */
    public Calls calls() {
        Calls c = calls;
        if (c == null) {
            synchronized (this) {
                c = calls;
                if (c == null) {
                    c = newCalls();
                    calls = c;
                }
            }
        }
        return c;
    }

    private Calls newCalls() {
        return Calls.create(executionMode, platformThreads, globalMaxInFlight);
    }

    /**
     * Whether calls run on virtual threads with this component's executionMode on this JVM.
     *
     * @throws LlmConfigurationException for executionMode=virtual on a JVM without virtual threads
     */
    public boolean usesVirtualThreads() {
        return Calls.usesVirtualThreads(executionMode);
    }

    @Override
    protected void doStart() throws Exception {
        // before anything starts: a second claim of the llm scheme makes which component a route gets a matter of luck
        SchemeConflict.checkAtStart(this);
        super.doStart();
        calls();
        observability().startUsage();
        // a shared store connects at start, so that the first call does not pay for the client's set-up
        stateStore();
    }

    /**
     * Where rate limits and budgets keep their state (the stateStore option), connected on first use: the
     * gateway's per-key limits use it too.
     *
     * @throws LlmConfigurationException naming the stateStore option that is wrong
     */
    public StateStore stateStore() {
        StateStore s = store;
        if (s == null) {
            synchronized (this) {
                s = store;
                if (s == null) {
                    try {
                        s = StateStores.create(stateStore, stateStorePassword, stateStoreFailureMode,
                                Duration.ofMillis(stateStoreTimeout));
                    } catch (IllegalArgumentException e) {
                        throw new LlmConfigurationException(e.getMessage());
                    }
                    store = s;
                }
            }
        }
        return s;
    }

    /** Metrics, prices, budgets, request log and health checks of this component. */
    public LlmObservability observability() {
        LlmObservability o = observability;
        if (o == null) {
            synchronized (this) {
                o = observability;
                if (o == null) {
                    o = new LlmObservability(this);
                    observability = o;
                }
            }
        }
        return o;
    }

    Function<String, String> environment() {
        return environment;
    }

    /**
     * Registers a provider factory under a name, for providers not listed in a
     * META-INF/services/dev.camelllm.spi.ChatProviderFactory file; it wins over a listed one of that name.
     */
    public void registerProvider(String name, ChatProviderFactory factory) {
        registered.put(name, factory);
    }

    /** The pooled HTTP client of the endpoints that set no proxy or TLS options of their own. */
    public HttpTransport http() {
        return network().transport(configuration);
    }

    private OutboundNetwork network() {
        OutboundNetwork n = network;
        if (n == null) {
            synchronized (this) {
                n = network;
                if (n == null) {
                    int total = maxConnections != null ? maxConnections : globalMaxInFlight;
                    int perRoute = maxConnectionsPerRoute != null ? maxConnectionsPerRoute : total;
                    n = new OutboundNetwork(getCamelContext(), new HttpSettings(total, perRoute, Duration.ofMillis(connectTimeout)),
                            systemProperties, environment, retrieveGlobalSslContextParameters());
                    network = n;
                }
            }
        }
        return n;
    }

    @Override
    protected void doStop() throws Exception {
        Calls c = calls;
        calls = null;
        if (c != null) {
            // first: cancelling aborts every open upstream request, so the threads below end at once
            c.close();
        }
        ProviderFactories p = providers;
        providers = null;
        if (p != null) {
            p.close();
        }
        groups.clear();
        responseCaches.clear();
        semanticCaches.clear();
        promptEmbedder.stop();
        LlmObservability o = observability;
        observability = null;
        if (o != null) {
            o.stop();
        }
        ScheduledExecutorService s = scheduler;
        scheduler = null;
        if (s != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(s);
        }
        OutboundNetwork n = network;
        network = null;
        if (n != null) {
            n.close();
        }
        StateStore st = store;
        store = null;
        if (st != null) {
            st.close();
        }
        super.doStop();
    }

    public String getUsageEndpoint() {
        return usageEndpoint;
    }

    /** A Camel endpoint URI that gets one exchange per finished llm: call with its usage record. */
    public void setUsageEndpoint(String usageEndpoint) {
        this.usageEndpoint = usageEndpoint;
    }

    public int getUsageQueueSize() {
        return usageQueueSize;
    }

    /** Most usage records waiting to be sent to usageEndpoint; more are dropped and counted. */
    public void setUsageQueueSize(int usageQueueSize) {
        this.usageQueueSize = usageQueueSize;
    }

    public String getUsageBody() {
        return usageBody;
    }

    /** The body of a usage exchange: record, map or json. */
    public void setUsageBody(String usageBody) {
        this.usageBody = usageBody;
    }

    /** The response caches of this component's profiles. */
    public ResponseCaches responseCaches() {
        return responseCaches;
    }

    /** The semantic caches of this component's profiles. */
    public SemanticCaches semanticCaches() {
        return semanticCaches;
    }

    PromptEmbedder promptEmbedder() {
        return promptEmbedder;
    }

    public LlmConfiguration getConfiguration() {
        return configuration;
    }

    /** The default options of every llm: endpoint */
    public void setConfiguration(LlmConfiguration configuration) {
        this.configuration = configuration;
    }

    public Map<String, LlmConfiguration> getProfiles() {
        return profiles;
    }

    /** Named profiles (tasks): llm:NAME uses profile NAME's options over the component's */
    public void setProfiles(Map<String, LlmConfiguration> profiles) {
        this.profiles = profiles;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    /** Maximum number of pooled HTTP connections, over all providers; defaults to globalMaxInFlight */
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxConnectionsPerRoute() {
        return maxConnectionsPerRoute;
    }

    /** Maximum number of pooled HTTP connections to one host; defaults to maxConnections */
    public void setMaxConnectionsPerRoute(Integer maxConnectionsPerRoute) {
        this.maxConnectionsPerRoute = maxConnectionsPerRoute;
    }

    public int getGlobalMaxInFlight() {
        return globalMaxInFlight;
    }

    /** Most llm: calls in flight at once over all endpoints; one more is shed at once */
    public void setGlobalMaxInFlight(int globalMaxInFlight) {
        this.globalMaxInFlight = globalMaxInFlight;
    }

    public String getExecutionMode() {
        return executionMode;
    }

    /** Where calls run: auto, virtual or platform */
    public void setExecutionMode(String executionMode) {
        this.executionMode = executionMode;
    }

    public int getPlatformThreads() {
        return platformThreads;
    }

    /** The size of the bounded pool of platform threads (Java 17 or executionMode=platform) */
    public void setPlatformThreads(int platformThreads) {
        this.platformThreads = platformThreads;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for a TCP connection to a provider */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Map<String, ModelPrice> getPrices() {
        return prices;
    }

    /** Prices per model in USD per million tokens */
    public void setPrices(Map<String, ModelPrice> prices) {
        if (prices == this.prices) {
            return;
        }
        // the same map stays in place: the price table reads it live
        this.prices.clear();
        if (prices != null) {
            this.prices.putAll(prices);
        }
    }

    public io.opentelemetry.api.OpenTelemetry getOpenTelemetry() {
        return openTelemetry;
    }

    /** The OpenTelemetry the llm spans go to; defaults to the registry's only one, else GlobalOpenTelemetry. */
    public void setOpenTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    public MeterRegistry getMeterRegistry() {
        return meterRegistry;
    }

    /** The Micrometer registry for the llm meters */
    public void setMeterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    public long getHealthProbeInterval() {
        return healthProbeInterval;
    }

    /** Milliseconds the producer health check reuses its last probe of a cloud provider */
    public void setHealthProbeInterval(long healthProbeInterval) {
        this.healthProbeInterval = healthProbeInterval;
    }

    public long getHealthProbeTimeout() {
        return healthProbeTimeout;
    }

    /** Milliseconds the health check's probe of a cloud provider may take */
    public void setHealthProbeTimeout(long healthProbeTimeout) {
        this.healthProbeTimeout = healthProbeTimeout;
    }

    public String getStateStore() {
        return stateStore;
    }

    /** Where rate limits and budgets keep their state: memory, redis://host:port or rediss://host:port */
    public void setStateStore(String stateStore) {
        this.stateStore = stateStore;
    }

    public String getStateStorePassword() {
        return stateStorePassword;
    }

    /** The password of the stateStore server (Redis AUTH), when it needs one */
    public void setStateStorePassword(String stateStorePassword) {
        this.stateStorePassword = stateStorePassword;
    }

    public String getStateStoreFailureMode() {
        return stateStoreFailureMode;
    }

    /** When the stateStore server fails or is slow: fail-open or fail-closed */
    public void setStateStoreFailureMode(String stateStoreFailureMode) {
        this.stateStoreFailureMode = stateStoreFailureMode;
    }

    public long getStateStoreTimeout() {
        return stateStoreTimeout;
    }

    /** Milliseconds a call waits at most for one answer of the stateStore server */
    public void setStateStoreTimeout(long stateStoreTimeout) {
        this.stateStoreTimeout = stateStoreTimeout;
    }

    /**
     * Where environment defaults (OPENAI_API_KEY, …, HTTPS_PROXY, NO_PROXY) are read from; System.getenv unless a
     * test sets it.
     */
    public void setEnvironment(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Where the JVM's proxy properties (https.proxyHost, …) are read from; System.getProperty unless a test sets it. */
    public void setSystemProperties(Function<String, String> systemProperties) {
        this.systemProperties = systemProperties;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the Camel context's global SSL context parameters where an endpoint sets none */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
