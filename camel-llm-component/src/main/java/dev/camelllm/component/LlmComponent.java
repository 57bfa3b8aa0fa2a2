package dev.camelllm.component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.util.PropertiesHelper;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.cache.ResponseCaches;
import dev.camelllm.semantic.SemanticCaches;
import dev.camelllm.execution.Calls;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.NetworkSettings;
import dev.camelllm.observability.LlmObservability;
import dev.camelllm.resilience.GroupSettings;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStores;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;

/**
 * The llm: component. Holds what endpoints share: the default options, the pooled HTTP clients (one per
 * proxy and TLS setting), one instance of each provider factory (so a local model is loaded once), the calls
 * in flight, the state store and the caches. Its own options are in {@link LlmComponentOptions}.
 */
@Component("llm")
public class LlmComponent extends LlmComponentOptions implements SSLContextParametersAware {

    @Metadata(description = "The default options of every llm: endpoint")
    private LlmConfiguration configuration = new LlmConfiguration();

    static final String PROVIDER_OPTION_PREFIX = "provider.";
    private volatile StateStore store;
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
        LlmConfiguration profile = getProfiles().get(remaining);
        LlmConfiguration base = profile == null ? getConfiguration().copy() : profileMerger().merge(getConfiguration(), profile);
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

    /** Creates the provider an endpoint's options describe (endpointUri without secrets), failing with the option named. */
    ChatProvider createProvider(LlmConfiguration endpointConfiguration, String endpointUri) {
        String name = endpointConfiguration.getProvider();
        if (name == null || name.isBlank()) {
            throw new LlmConfigurationException("Option 'provider' is required: one of " + providers().names());
        }
        ChatProviderFactory factory = providers().find(name.trim());
        return factory.create(ProviderSettingsBuilder.of(endpointConfiguration).forEndpoint(endpointUri),
                providerContext(endpointConfiguration));
    }

    /**
     * The shared services a provider may ask for by type: the pooled HTTP transport of the endpoint's proxy
     * and TLS options, created on first use (and checked then: a bad proxy option fails the route's start), or
     * those options alone ({@link NetworkSettings}) for a provider whose SDK makes its own connections.
     */
    private ProviderContext providerContext(LlmConfiguration endpointConfiguration) {
        return new ProviderContext(getCamelContext(), environment,
                type -> type == NetworkSettings.class ? network().settings(endpointConfiguration)
                        : type.isAssignableFrom(HttpTransport.class) ? network().transport(endpointConfiguration) : null);
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
        return Calls.create(getExecutionMode(), getPlatformThreads(), getGlobalMaxInFlight());
    }

    /**
     * Whether calls run on virtual threads with this component's executionMode on this JVM.
     *
     * @throws LlmConfigurationException for executionMode=virtual on a JVM without virtual threads
     */
    public boolean usesVirtualThreads() {
        return Calls.usesVirtualThreads(getExecutionMode());
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
                        s = StateStores.create(getStateStore(), getStateStorePassword(), getStateStoreFailureMode(),
                                Duration.ofMillis(getStateStoreTimeout()), getStateStoreLeaseFraction());
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
        return network().transport(getConfiguration());
    }

    private OutboundNetwork network() {
        OutboundNetwork n = network;
        if (n == null) {
            synchronized (this) {
                n = network;
                if (n == null) {
                    int total = getMaxConnections() != null ? getMaxConnections() : getGlobalMaxInFlight();
                    int perRoute = getMaxConnectionsPerRoute() != null ? getMaxConnectionsPerRoute() : total;
                    n = new OutboundNetwork(getCamelContext(), new HttpSettings(total, perRoute, Duration.ofMillis(getConnectTimeout())),
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

}
