package dev.camelllm.observability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.camelllm.api.Usage;
import dev.camelllm.resilience.LimitListener;
import dev.camelllm.resilience.ResilienceGroup;

/**
 * The component's meters, named and tagged after the OpenTelemetry GenAI semantic conventions where they
 * have a name ({@code gen_ai.client.*}), {@code llm.*} otherwise. Tags carry names, models, outcomes and
 * error kinds only: never a key, a prompt or a completion. docs/observability.md lists them all.
 */
public final class LlmMetrics implements LimitListener {

    public static final String REQUESTS = "llm.requests";
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    public static final String TIME_TO_FIRST_TOKEN = "llm.time_to_first_token";
    public static final String TOKENS_PER_SECOND = "llm.tokens_per_second";
    public static final String RETRIES = "llm.retries";
    public static final String FALLBACKS = "llm.fallbacks";
    public static final String COST = "llm.cost";
    public static final String RATE_LIMIT_WAIT = "llm.rate_limit.wait";
    public static final String LIMIT_REJECTIONS = "llm.limit.rejections";
    public static final String BUDGET_REJECTIONS = "llm.budget.rejections";
    public static final String BUDGET_SPENT = "llm.budget.spent";
    public static final String CIRCUIT_BREAKER_STATE = "llm.circuit_breaker.state";
    public static final String QUEUE_DEPTH = "llm.local.queue.depth";

    public static final String OPERATION = "gen_ai.operation.name";
    public static final String PROVIDER = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String TOKEN_TYPE = "gen_ai.token.type";
    public static final String ERROR_TYPE = "error.type";
    public static final String PROFILE = "llm.profile";
    public static final String OUTCOME = "outcome";
    public static final String FALLBACK = "llm.fallback";
    public static final String GROUP = "llm.resilience_group";
    public static final String LIMIT = "llm.limit";
    public static final String STATE = "state";

    /** Value of a tag whose value is not known (Prometheus wants the same tag keys on every series). */
    public static final String UNKNOWN = "unknown";
    public static final String NONE = "none";

    // bucket boundaries recommended by the GenAI semantic conventions
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    private static final double[] TOKEN_BUCKETS = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864 };

    private final MeterRegistry registry;
    /** Gauges bound to objects that live as long as the component: removed when it stops. */
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();

    public LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records a finished request: count, duration, tokens by type, TTFT, tokens/s, retries, cost. */
    public void record(RequestRecord r) {
        Tags model = Tags.of(OPERATION, "chat", PROVIDER, value(r.provider()), REQUEST_MODEL, value(r.requestModel()),
                RESPONSE_MODEL, value(r.responseModel()), PROFILE, value(r.profile()));
        Tags outcome = model.and(OUTCOME, r.ok() ? "ok" : "error", ERROR_TYPE, r.ok() ? NONE : r.errorType());
        Counter.builder(REQUESTS).description("Requests to language models, by outcome").tags(outcome)
                .register(registry).increment();
        Timer.builder(OPERATION_DURATION).description("Duration of a whole call, retries and fallbacks included")
                .serviceLevelObjectives(DURATION_BUCKETS).tags(outcome).register(registry)
                .record(Math.max(0, r.durationMs()), TimeUnit.MILLISECONDS);
        Usage u = r.usage();
        if (u != null && (u.totalTokens() > 0 || u.cacheReadTokens() > 0 || u.cacheWriteTokens() > 0)) {
            tokens(model, "input", u.inputTokens(), true);
            tokens(model, "output", u.outputTokens(), true);
            tokens(model, "cache_read", u.cacheReadTokens(), false);
            tokens(model, "cache_write", u.cacheWriteTokens(), false);
        }
        if (r.ok() && r.stream() && r.ttftMs() >= 0) {
            Timer.builder(TIME_TO_FIRST_TOKEN).description("Time from the request to the first streamed output")
                    .serviceLevelObjectives(DURATION_BUCKETS).tags(model).register(registry)
                    .record(r.ttftMs(), TimeUnit.MILLISECONDS);
        }
        if (r.ok() && r.tokensPerSecond() > 0) {
            DistributionSummary.builder(TOKENS_PER_SECOND).description("Output tokens per second of generation")
                    .tags(model).register(registry).record(r.tokensPerSecond());
        }
        if (r.retries() > 0) {
            Counter.builder(RETRIES).description("Attempts that were retries").tags(PROFILE, value(r.profile()))
                    .register(registry).increment(r.retries());
        }
        if (r.costUsd() != null) {
            Counter.builder(COST).baseUnit("usd").description("Cost of the answered calls, from the price table")
                    .tags(model).register(registry).increment(r.costUsd());
        }
    }

    private void tokens(Tags model, String type, long count, boolean always) {
        if (count > 0 || always) {
            DistributionSummary.builder(TOKEN_USAGE).description("Tokens per call, by type")
                    .serviceLevelObjectives(TOKEN_BUCKETS).tags(model).tag(TOKEN_TYPE, type).register(registry)
                    .record(count);
        }
    }

    /** A call moved on from {@code profile} to its fallback profile {@code fallback}. */
    public void fallbackTaken(String profile, String fallback) {
        Counter.builder(FALLBACKS).description("Fallback profiles tried").tags(PROFILE, value(profile), FALLBACK, value(fallback))
                .register(registry).increment();
    }

    /** A call was refused because the profile's budget is spent. */
    public void budgetRejected(String profile) {
        Counter.builder(BUDGET_REJECTIONS).description("Calls refused by a spent budget").tags(PROFILE, value(profile))
                .register(registry).increment();
    }

    @Override
    public void waited(String group, Duration wait) {
        Timer.builder(RATE_LIMIT_WAIT).description("Waits for rate-limit capacity").tags(GROUP, value(group))
                .register(registry).record(wait);
    }

    @Override
    public void rejected(String group, String limit) {
        Counter.builder(LIMIT_REJECTIONS).description("Calls refused by the component's own limits")
                .tags(GROUP, value(group), LIMIT, limit).register(registry).increment();
    }

    /** One gauge per breaker state, 1 for the state the group's breaker is in, else 0. */
    public void bindBreaker(ResilienceGroup group) {
        CircuitBreaker breaker = group.breaker();
        if (breaker == null) {
            return;
        }
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            gauges.add(Gauge.builder(CIRCUIT_BREAKER_STATE, breaker, b -> b.getState() == state ? 1 : 0)
                    .description("Circuit breaker state of a resilience group (1 = current)")
                    .tags(GROUP, value(group.name()), STATE, state.name().toLowerCase())
                    .strongReference(true).register(registry));
        }
    }

    /** Requests waiting for a provider that has a queue of its own (a local model). */
    public Meter queueDepth(String provider, String model, Supplier<Number> depth) {
        Meter m = Gauge.builder(QUEUE_DEPTH, depth).description("Requests waiting for a local model")
                .tags(PROVIDER, value(provider), REQUEST_MODEL, value(model)).strongReference(true).register(registry);
        gauges.add(m);
        return m;
    }

    /** USD a profile with a budget spent in its current period. */
    public void budgetSpent(String profile, Supplier<Number> spent) {
        gauges.add(Gauge.builder(BUDGET_SPENT, spent).baseUnit("usd").description("Spending of a profile in its budget period")
                .tags(PROFILE, value(profile)).strongReference(true).register(registry));
    }

    /** Forgets the gauges bound to the component's groups and providers. */
    public void removeGauges() {
        for (Meter m : gauges) {
            registry.remove(m);
        }
        gauges.clear();
    }

    static String value(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }
}
