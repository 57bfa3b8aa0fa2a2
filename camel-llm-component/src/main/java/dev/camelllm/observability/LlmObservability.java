package dev.camelllm.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.observability.tracing.LlmTracing;
import dev.camelllm.observability.usage.UsagePublisher;
import dev.camelllm.observability.usage.UsageRecord;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.resilience.ResilientProvider;

/**
 * What one llm component observes: its meters (in the MeterRegistry bound in the Camel registry when
 * there is one, else its own), prices and budgets, the request log, and the producer health checks of its
 * endpoints. The component, its endpoints and its producer call in here through small hooks.
 */
public final class LlmObservability {

    /** The name camel-micrometer and camel-micrometer-prometheus bind their registry under. */
    public static final String CAMEL_METRICS_REGISTRY = "metricsRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(LlmObservability.class);

    private final LlmComponent component;
    private final Budgets budgets;
    private final PriceTable prices;
    private final RecentUsage recent = new RecentUsage();
    private final Map<LlmEndpoint, Registered> endpoints = new ConcurrentHashMap<>();
    private final Set<String> healthIds = ConcurrentHashMap.newKeySet();
    private final LlmTracing tracing;
    private volatile LlmMetrics metrics;
    private volatile UsagePublisher usage;

    public LlmObservability(LlmComponent component) {
        this(component, Clock.systemUTC());
    }

    LlmObservability(LlmComponent component, Clock clock) {
        this.component = component;
        this.budgets = new Budgets(clock, component::stateStore);
        this.prices = new PriceTable(component.getPrices());
        this.tracing = new LlmTracing(this::resolveOpenTelemetry);
    }

    public LlmTracing tracing() {
        return tracing;
    }

    /** The component's openTelemetry option, else the only one in the Camel registry, else the global one. */
    private OpenTelemetry resolveOpenTelemetry() {
        OpenTelemetry otel = component.getOpenTelemetry();
        CamelContext ctx = component.getCamelContext();
        if (otel == null && ctx != null) {
            otel = ctx.getRegistry().findSingleByType(OpenTelemetry.class);
        }
        return otel != null ? otel : GlobalOpenTelemetry.get();
    }

    /** Starts observing one exchange on an endpoint. */
    public RequestObservation begin(Exchange exchange, LlmEndpoint endpoint) {
        return new RequestObservation(this, exchange, endpoint);
    }

    public LlmMetrics metrics() {
        LlmMetrics m = metrics;
        if (m == null) {
            synchronized (this) {
                m = metrics;
                if (m == null) {
                    m = new LlmMetrics(resolveRegistry());
                    metrics = m;
                }
            }
        }
        return m;
    }

    /** The component's registry option, else the one camel-micrometer bound, else any single one, else our own. */
    private MeterRegistry resolveRegistry() {
        MeterRegistry r = component.getMeterRegistry();
        CamelContext ctx = component.getCamelContext();
        if (r == null && ctx != null) {
            r = ctx.getRegistry().lookupByNameAndType(CAMEL_METRICS_REGISTRY, MeterRegistry.class);
            if (r == null) {
                r = ctx.getRegistry().findSingleByType(MeterRegistry.class);
            }
        }
        if (r == null) {
            LOG.debug("No MeterRegistry in the Camel registry: llm meters go to a SimpleMeterRegistry of the component");
            r = new SimpleMeterRegistry();
        }
        component.setMeterRegistry(r);
        return r;
    }

    public PriceTable prices() {
        return prices;
    }

    public Budgets budgets() {
        return budgets;
    }

    /** The last requests and per-profile totals, for the dev console. */
    public RecentUsage recent() {
        return recent;
    }

    /** A finished request: metrics and the log line, or its fields for the caller that writes the line ({@code deferred}). */
    void finished(RequestRecord record, RequestLog.Redaction redaction, DeferredRequestLog deferred, String gatewayKey,
                  boolean cacheHit) {
        try {
            metrics().record(record);
        } catch (RuntimeException e) {
            // metrics must never fail a request
            LOG.warn("Could not record llm metrics: {}", e.toString());
        }
        recent.add(record);
        UsagePublisher u = usage;
        // usage records stay those of chat calls: their schema (UsageRecord) has no operation to tell an embedding by
        if (u != null && !RequestRecord.EMBEDDINGS.equals(record.operation())) {
            try {
                u.publish(usageRecord(record, gatewayKey, cacheHit));
            } catch (RuntimeException e) {
                LOG.warn("Could not publish the llm usage record: {}", e.toString());
            }
        }
        if (deferred != null) {
            deferred.accept(record, redaction);
        } else if (RequestLog.enabled()) {
            RequestLog.write(RequestLog.redactedFields(record, redaction));
        }
    }

    static UsageRecord usageRecord(RequestRecord r, String gatewayKey, boolean cacheHit) {
        Usage u = r.usage() == null ? Usage.EMPTY : r.usage();
        String outcome = r.ok() ? UsageRecord.OK
                : ErrorKind.CANCELLED.name().equals(r.errorType()) ? UsageRecord.CANCELLED : UsageRecord.ERROR;
        return new UsageRecord(r.requestId(), Instant.now(), r.profile(), r.provider(), r.requestModel(),
                r.responseModel(), gatewayKey, r.stream(), outcome, r.errorType(), u.inputTokens(), u.outputTokens(),
                u.cacheReadTokens(), null, r.costUsd(), r.stream() && r.ttftMs() >= 0 ? r.ttftMs() : null,
                r.durationMs(), r.attempts(), r.fallback(), cacheHit);
    }

    /**
     * Starts sending usage records to the component's usageEndpoint, when it has one.
     *
     * @throws LlmConfigurationException naming the option when the endpoint or the settings are wrong
     */
    public synchronized void startUsage() {
        String uri = component.getUsageEndpoint();
        if (uri == null || uri.isBlank() || usage != null) {
            return;
        }
        try {
            usage = new UsagePublisher(component.getCamelContext(), uri.trim(), component.getUsageQueueSize(),
                    component.getUsageBody(), metrics().registry());
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException(e.getMessage(), e);
        }
    }

    /** The usage records' publisher, null without a usageEndpoint. */
    public UsagePublisher usage() {
        return usage;
    }

    /** A new resilience group: its breaker state gauge, its limit waits and refusals. */
    public ResilienceGroup bind(ResilienceGroup group) {
        group.setListener(metrics());
        metrics().bindBreaker(group);
        return group;
    }

    /** An endpoint started: its health check, budget gauge and, for a provider with a queue, the queue gauge. */
    public void endpointStarted(LlmEndpoint endpoint) {
        Budgets.validate(endpoint.getConfiguration());
        ResilientProvider provider = endpoint.getProvider();
        Registered reg = new Registered();
        if (endpoint.getConfiguration().getBudget() != null) {
            metrics().budgetSpent(endpoint.getName(),
                    () -> budgets.spent(endpoint.getName(), endpoint.getConfiguration()).doubleValue());
            if (provider != null && prices.find(null, provider.model()).isEmpty()) {
                LOG.warn("Profile '{}' has a budget but model '{}' has no price (camel.component.llm.prices[{}].*): "
                         + "its calls cost nothing against the budget", endpoint.getName(), provider.model(), provider.model());
            }
        }
        if (provider != null && provider.queueDepth() >= 0) {
            reg.queueGauge = metrics().queueDepth(provider.name(), provider.model(), provider::queueDepth);
        }
        CamelContext ctx = endpoint.getCamelContext();
        WritableHealthCheckRepository repo = HealthCheckHelper.getHealthCheckRepository(ctx, "producers",
                WritableHealthCheckRepository.class);
        if (repo != null) {
            reg.repository = repo;
            reg.check = new LlmHealthCheck(healthId(endpoint.getName()), endpoint,
                    Duration.ofMillis(Math.max(1, component.getHealthProbeTimeout())),
                    component.getHealthProbeInterval());
            reg.check.setEnabled(component.isHealthCheckProducerEnabled());
            repo.addHealthCheck(reg.check);
        }
        Registered previous = endpoints.put(endpoint, reg);
        if (previous != null) {
            previous.remove(metrics());
        }
    }

    public void endpointStopped(LlmEndpoint endpoint) {
        Registered reg = endpoints.remove(endpoint);
        if (reg != null) {
            reg.remove(metrics);
        }
    }

    /** The health check of an endpoint, while it runs. */
    public LlmHealthCheck healthCheck(LlmEndpoint endpoint) {
        Registered reg = endpoints.get(endpoint);
        return reg == null ? null : reg.check;
    }

    /** producer:llm-NAME; a second endpoint of the same name (other URI options) gets producer:llm-NAME-2. */
    private String healthId(String name) {
        String id = "producer:llm-" + name;
        for (int n = 2; !healthIds.add(id); n++) {
            id = "producer:llm-" + name + "-" + n;
        }
        return id;
    }

    /** The component stops: unregister everything. */
    public void stop() {
        for (LlmEndpoint e : endpoints.keySet()) {
            endpointStopped(e);
        }
        healthIds.clear();
        UsagePublisher u;
        synchronized (this) {
            u = usage;
            usage = null;
        }
        if (u != null) {
            u.close();
        }
        LlmMetrics m = metrics;
        if (m != null) {
            m.removeGauges();
        }
    }

    private final class Registered {
        WritableHealthCheckRepository repository;
        LlmHealthCheck check;
        Meter queueGauge;

        void remove(LlmMetrics metrics) {
            if (repository != null && check != null) {
                repository.removeHealthCheck(check);
            }
            if (check != null) {
                healthIds.remove(check.getId());
            }
            if (queueGauge != null && metrics != null) {
                metrics.registry().remove(queueGauge);
            }
        }
    }
}
