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
import org.apache.camel.support.DefaultComponent;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
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
public class LlmComponent extends DefaultComponent {

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

    private Function<String, String> environment = System::getenv;
    private final Map<String, ResilienceGroup> groups = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private final Map<String, ChatProviderFactory> factories = new ConcurrentHashMap<>();
    private volatile HttpTransport http;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new LlmConfigurationException("The endpoint needs a name, as in llm:chat?provider=openai");
        }
        LlmConfiguration profile = profiles.get(remaining);
        LlmConfiguration base = profile == null ? configuration.copy() : ProfileMerger.merge(configuration, profile);
        LlmEndpoint endpoint = new LlmEndpoint(uri, this, remaining, base);
        setProperties(endpoint, parameters);
        return endpoint;
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
        return groups.computeIfAbsent(name, n -> ResilienceSettings.group(n, c));
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

    /** Where environment defaults (OPENAI_API_KEY, …) are read from; System.getenv unless a test sets it. */
    public void setEnvironment(Function<String, String> environment) {
        this.environment = environment;
    }
}
