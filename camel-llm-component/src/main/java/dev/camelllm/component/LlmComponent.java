package dev.camelllm.component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.FactoryFinder;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

import io.micrometer.core.instrument.MeterRegistry;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.observability.LlmObservability;
import dev.camelllm.observability.ModelPrice;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.resilience.ResilienceSettings;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;

/**
 * The llm: component. Holds what endpoints share: the default options, the pooled HTTP client, and one
 * instance of each provider factory (so a local model is loaded once).
 */
@Component("llm")
public class LlmComponent extends HealthCheckComponent {

    @Metadata(description = "The default options of every llm: endpoint")
    private LlmConfiguration configuration = new LlmConfiguration();
    @Metadata(label = "advanced", defaultValue = "200",
              description = "Maximum number of pooled HTTP connections, over all providers")
    private int maxConnections = 200;
    @Metadata(label = "advanced", defaultValue = "50",
              description = "Maximum number of pooled HTTP connections to one host")
    private int maxConnectionsPerRoute = 50;
    @Metadata(label = "advanced", defaultValue = "10000",
              description = "Milliseconds to wait for a TCP connection to a provider")
    private long connectTimeout = 10000;

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
    @Metadata(label = "observability", defaultValue = "30000",
              description = "Milliseconds the producer health check reuses its last probe of a cloud provider (0 probes on every check)")
    private long healthProbeInterval = 30000;
    @Metadata(label = "observability", defaultValue = "5000",
              description = "Milliseconds the health check's probe of a cloud provider may take")
    private long healthProbeTimeout = 5000;
    private volatile LlmObservability observability;

    private Function<String, String> environment = System::getenv;
    private final Map<String, ResilienceGroup> groups = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private final Map<String, ChatProviderFactory> factories = new ConcurrentHashMap<>();
    private volatile HttpTransport http;
    private volatile ProfileMerger profileMerger;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new LlmConfigurationException("The endpoint needs a name, as in llm:chat?provider=openai");
        }
        LlmConfiguration profile = profiles.get(remaining);
        LlmConfiguration base = profile == null ? configuration.copy() : profileMerger().merge(configuration, profile);
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
            throw new LlmConfigurationException(
                    "Option 'provider' is required: one of openai, anthropic, openai-compatible, onnx");
        }
        ChatProviderFactory factory = factories.computeIfAbsent(name.trim(), this::findFactory);
        return factory.create(endpointConfiguration, new ProviderContext(getCamelContext(), http(), environment));
    }

    /** The limits, concurrency cap and breaker shared by the endpoints of one group; the first to ask sets them. */
    ResilienceGroup group(String name, LlmConfiguration c) {
        return groups.computeIfAbsent(name, n -> observability().bind(ResilienceSettings.group(n, c)));
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

    /** Registers a provider factory under a name, for providers not found on the classpath. */
    public void registerProvider(String name, ChatProviderFactory factory) {
        factories.put(name, factory);
    }

    private ChatProviderFactory findFactory(String name) {
        FactoryFinder finder = getCamelContext().getCamelContextExtension()
                .getFactoryFinder(ChatProviderFactory.RESOURCE_PATH);
        return finder.newInstance(name, ChatProviderFactory.class)
                .orElseThrow(() -> new LlmConfigurationException("Unknown value '" + name + "' of option 'provider': no "
                        + ChatProviderFactory.RESOURCE_PATH + name + " on the classpath (built in: openai, anthropic, "
                        + "openai-compatible, onnx)"));
    }

    /** The pooled HTTP client shared by every endpoint of this component. */
    public HttpTransport http() {
        HttpTransport h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = new HttpTransport(new HttpSettings(maxConnections, maxConnectionsPerRoute,
                            Duration.ofMillis(connectTimeout)));
                    http = h;
                }
            }
        }
        return h;
    }

    @Override
    protected void doStop() throws Exception {
        for (ChatProviderFactory factory : factories.values()) {
            factory.close();
        }
        factories.clear();
        groups.clear();
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
        HttpTransport h = http;
        http = null;
        if (h != null) {
            h.close();
        }
        super.doStop();
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

    public int getMaxConnections() {
        return maxConnections;
    }

    /** Maximum number of pooled HTTP connections, over all providers */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerRoute() {
        return maxConnectionsPerRoute;
    }

    /** Maximum number of pooled HTTP connections to one host */
    public void setMaxConnectionsPerRoute(int maxConnectionsPerRoute) {
        this.maxConnectionsPerRoute = maxConnectionsPerRoute;
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

    /** Where environment defaults (OPENAI_API_KEY, …) are read from; System.getenv unless a test sets it. */
    public void setEnvironment(Function<String, String> environment) {
        this.environment = environment;
    }
}
