package dev.camelllm.component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.Metadata;
import org.apache.camel.support.HealthCheckComponent;

import io.micrometer.core.instrument.MeterRegistry;

import dev.camelllm.observability.ModelPrice;
import dev.camelllm.state.StateStores;

/**
 * The llm: component's own options (those of no single endpoint: pools, caps, profiles, the state store,
 * prices, usage records, observability), with their accessors. {@link LlmComponent} adds what the
 * component does with them; the split keeps the options, which Camel's tooling reads from here, apart from
 * the lifecycle.
 */
public abstract class LlmComponentOptions extends HealthCheckComponent {

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
    @Metadata(label = "advanced", defaultValue = "0.001",
              description = "The part of a shared bucket's capacity (a rate limit kept in a redis:// stateStore) that an "
                            + "instance takes at once and spends locally, taking the next batch ahead of time, so that a "
                            + "large limit does not cost a Redis round trip per request: 0.001 leases 10 tokens of a "
                            + "10,000/minute limit. At least 1 token, and a lease of 1 is a round trip per request as with 0 "
                            + "(off), so small limits stay exact across instances. The instances together never take more "
                            + "than the bucket holds; what they hold unspent (at most instances x lease per bucket) serves "
                            + "nobody else until it is spent or given back (after 1 s idle). 0 to 0.1 (docs/scaling.md)")
    private double stateStoreLeaseFraction = StateStores.DEFAULT_LEASE_FRACTION;
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

    public double getStateStoreLeaseFraction() {
        return stateStoreLeaseFraction;
    }

    /** The part of a shared bucket's capacity an instance leases at once (0: a round trip per request) */
    public void setStateStoreLeaseFraction(double stateStoreLeaseFraction) {
        this.stateStoreLeaseFraction = stateStoreLeaseFraction;
    }

    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the Camel context's global SSL context parameters where an endpoint sets none */
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
