package dev.camelllm.observability;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.resilience.ResilientProvider;
import dev.camelllm.spi.ProviderHealth;

/**
 * The producer health check of one llm: endpoint (repository "producers"): the provider's own check when
 * it has one (a local model), else the provider's probe of its upstream (a cloud provider GETs its models
 * list with the endpoint's key over the component's shared HTTP transport); DOWN while the
 * group's circuit breaker is open. A readiness check only: a provider that is down is no reason to
 * restart the application. Probe results are reused for {@code healthProbeInterval} milliseconds.
 */
public final class LlmHealthCheck extends AbstractHealthCheck {

    private final LlmEndpoint endpoint;
    private final Duration probeTimeout;
    private final long reuseNanos;
    private ProviderHealth last;
    private long lastNanos;

    LlmHealthCheck(String id, LlmEndpoint endpoint, Duration probeTimeout, long reuseMillis) {
        super("camel", id);
        this.endpoint = endpoint;
        this.probeTimeout = probeTimeout;
        this.reuseNanos = reuseMillis * 1_000_000;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ResilientProvider provider = endpoint.getProvider();
        builder.detail("llm.profile", endpoint.getName());
        if (provider == null) {
            builder.message("the endpoint is not started").down();
            return;
        }
        builder.detail("provider", provider.name());
        builder.detail("model", provider.model());
        CircuitBreaker breaker = provider.group().breaker();
        if (breaker != null) {
            builder.detail("circuit_breaker", breaker.getState().name().toLowerCase());
            if (breaker.getState() == CircuitBreaker.State.OPEN || breaker.getState() == CircuitBreaker.State.FORCED_OPEN) {
                builder.message("circuit breaker of group '" + provider.group().name() + "' is open").down();
                return;
            }
        }
        ProviderHealth health = current(provider);
        health.details().forEach(builder::detail);
        builder.message(health.reason());
        if (health.up()) {
            builder.up();
        } else {
            builder.down();
        }
    }

    private synchronized ProviderHealth current(ResilientProvider provider) {
        ProviderHealth own = provider.health();
        if (own != null) {
            return own;
        }
        long now = System.nanoTime();
        if (last == null || now - lastNanos >= reuseNanos) {
            // the wrapper has no upstream of its own: ask the provider it wraps
            ProviderHealth probed = provider.delegate().probe(probeTimeout);
            last = probed != null ? probed
                    : ProviderHealth.up("no health check for provider " + provider.name(), Map.of());
            lastNanos = now;
        }
        return last;
    }
}
