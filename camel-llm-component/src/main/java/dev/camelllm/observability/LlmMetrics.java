package dev.camelllm.observability;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    public static final String CACHE_LOOKUPS = "llm.cache.lookups";
    public static final String CACHE_STORES = "llm.cache.stores";
    /** Response cache operations that failed and so were a miss or a skipped write, by operation and reason. */
    public static final String CACHE_FAILURES = "llm.cache.failures";
    public static final String CACHE_OPERATION = "operation";
    public static final String REASON = "reason";
    public static final String GET = "get";
    public static final String PUT = "put";
    /** The store did not answer within its timeout, or is down. */
    public static final String UNAVAILABLE = "unavailable";
    /** An entry that is not a cached answer of this version (untrusted input). */
    public static final String CORRUPT = "corrupt";
    /** An answer larger than cacheMaxEntryBytes. */
    public static final String TOO_LARGE = "too-large";
    /** An answer with a part a cached answer cannot hold. */
    public static final String UNSUPPORTED = "unsupported";
    /** Too many writes to the store already in flight: this one was skipped. */
    public static final String BUSY = "busy";
    public static final String SEMANTIC_CACHE_EMBED_FAILURES = "llm.cache.semantic.embed.failures";
    /** The tag of the cache lookups and stores: which cache. */
    public static final String CACHE = "cache";
    public static final String EXACT = "exact";
    public static final String SEMANTIC = "semantic";
    public static final String RESULT = "result";

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

    /** How many (provider, models, profile) combinations keep their meters at hand; see {@link #byModel}. */
    static final int MAX_CACHED_MODELS = 1024;

    private final MeterRegistry registry;
    /** Gauges bound to objects that live as long as the component: removed when it stops. */
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();

    /**
     * The per-request meters of each (operation, provider, request model, response model, profile), so that a request
     * does not build tags and look its meters up in the registry each time (about 10 % of the llm: route's
     * CPU, docs/benchmarks.md). Bounded: past the bound a new combination's meters are looked up per
     * request, as before. The registry itself keeps every meter it has registered until it is removed, so
     * this map adds no series and no cardinality: it only holds references to meters the registry holds.
     */
    private final Map<ModelKey, ModelMeters> byModel = new ConcurrentHashMap<>();
    /** The rate-limit wait timer of each resilience group (every admitted call records its wait, zero or not). */
    private final Map<String, Timer> waitsByGroup = new ConcurrentHashMap<>();

    public LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
        forgetCachedMetersOnRemoval(registry, byModel);
        forgetCachedMetersOnRemoval(registry, waitsByGroup);
    }

    /**
     * A meter removed from the registry (registry.remove, registry.clear) must be registered anew by the
     * next request, as the builders did, not counted on out of sight. Removals are rare (our gauges when
     * the component stops), so any removal empties the cache. The listener cannot be taken off the
     * registry again, so it holds the cache weakly: a registry that outlives this component keeps only
     * the listener, not the cached meters.
     */
    private static void forgetCachedMetersOnRemoval(MeterRegistry registry, Map<?, ?> cache) {
        WeakReference<Map<?, ?>> ref = new WeakReference<>(cache);
        registry.config().onMeterRemoved(removed -> {
            Map<?, ?> c = ref.get();
            if (c != null) {
                c.clear();
            }
        });
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records a finished request: count, duration, tokens by type, TTFT, tokens/s, retries, cost. */
    public void record(RequestRecord r) {
        ModelMeters m = meters(r);
        long durationMs = Math.max(0, r.durationMs());
        if (r.ok()) {
            m.requests.get().increment();
            m.duration.get().record(durationMs, TimeUnit.MILLISECONDS);
        } else {
            // errors are rare: their meters, one set per error kind, are looked up in the registry each time
            Tags outcome = outcome(m.model, "error", r.errorType());
            requestCounter(outcome).increment();
            durationTimer(outcome).record(durationMs, TimeUnit.MILLISECONDS);
        }
        Usage u = r.usage();
        if (u != null && (u.totalTokens() > 0 || u.cacheReadTokens() > 0 || u.cacheWriteTokens() > 0)) {
            m.inputTokens.get().record(u.inputTokens());
            // an embedding has input tokens only (the GenAI conventions record no output for it)
            if (!RequestRecord.EMBEDDINGS.equals(r.operation())) {
                m.outputTokens.get().record(u.outputTokens());
            }
            // cache tokens only when there were some: no cache series for a model without a prompt cache
            if (u.cacheReadTokens() > 0) {
                m.cacheReadTokens.get().record(u.cacheReadTokens());
            }
            if (u.cacheWriteTokens() > 0) {
                m.cacheWriteTokens.get().record(u.cacheWriteTokens());
            }
        }
        if (r.ok() && r.stream() && r.ttftMs() >= 0) {
            m.timeToFirstToken.get().record(r.ttftMs(), TimeUnit.MILLISECONDS);
        }
        if (r.ok() && r.tokensPerSecond() > 0) {
            m.tokensPerSecond.get().record(r.tokensPerSecond());
        }
        if (r.retries() > 0) {
            m.retries.get().increment(r.retries());
        }
        if (r.costUsd() != null) {
            m.cost.get().increment(r.costUsd());
        }
    }

    /** The meters of the record's model and profile: cached while the cache has room, else looked up anew. */
    private ModelMeters meters(RequestRecord r) {
        ModelKey key = new ModelKey(r.operation() == null ? RequestRecord.CHAT : r.operation(), value(r.provider()),
                value(r.requestModel()), value(r.responseModel()), value(r.profile()));
        ModelMeters m = byModel.get(key);
        if (m == null) {
            m = new ModelMeters(key);
            if (byModel.size() < MAX_CACHED_MODELS) {
                ModelMeters raced = byModel.putIfAbsent(key, m);
                if (raced != null) {
                    m = raced;
                }
            }
        }
        return m;
    }

    private static Tags outcome(Tags model, String outcome, String errorType) {
        return model.and(OUTCOME, outcome, ERROR_TYPE, errorType);
    }

    private Counter requestCounter(Tags outcome) {
        return Counter.builder(REQUESTS).description("Requests to language models, by outcome").tags(outcome)
                .register(registry);
    }

    private Timer durationTimer(Tags outcome) {
        return Timer.builder(OPERATION_DURATION).description("Duration of a whole call, retries and fallbacks included")
                .serviceLevelObjectives(DURATION_BUCKETS).tags(outcome).register(registry);
    }

    private DistributionSummary tokenSummary(Tags model, String type) {
        return DistributionSummary.builder(TOKEN_USAGE).description("Tokens per call, by type")
                .serviceLevelObjectives(TOKEN_BUCKETS).tags(model).tag(TOKEN_TYPE, type).register(registry);
    }

    private Timer timeToFirstTokenTimer(Tags model) {
        return Timer.builder(TIME_TO_FIRST_TOKEN).description("Time from the request to the first streamed output")
                .serviceLevelObjectives(DURATION_BUCKETS).tags(model).register(registry);
    }

    private DistributionSummary tokensPerSecondSummary(Tags model) {
        return DistributionSummary.builder(TOKENS_PER_SECOND).description("Output tokens per second of generation")
                .tags(model).register(registry);
    }

    private Counter retriesCounter(String profile) {
        return Counter.builder(RETRIES).description("Attempts that were retries").tags(PROFILE, profile)
                .register(registry);
    }

    private Counter costCounter(Tags model) {
        return Counter.builder(COST).baseUnit("usd").description("Cost of the answered calls, from the price table")
                .tags(model).register(registry);
    }

    /** A call moved on from {@code profile} to its fallback profile {@code fallback}. */
    public void fallbackTaken(String profile, String fallback) {
        Counter.builder(FALLBACKS).description("Fallback profiles tried").tags(PROFILE, value(profile), FALLBACK, value(fallback))
                .register(registry).increment();
    }

    /** A call was refused because the profile's budget is spent. */
    /** A lookup in a profile's exact response cache: a hit or a miss. */
    public void cacheLookup(String profile, boolean hit) {
        cacheLookup(profile, EXACT, hit);
    }

    /** A lookup in a profile's exact ({@link #EXACT}) or semantic ({@link #SEMANTIC}) cache: a hit or a miss. */
    public void cacheLookup(String profile, String cache, boolean hit) {
        Counter.builder(CACHE_LOOKUPS).description("Lookups in the response cache, by cache (exact, semantic) and result (hit, miss)")
                .tags(PROFILE, value(profile), CACHE, cache, RESULT, hit ? "hit" : "miss").register(registry).increment();
    }

    /** A whole answer was put in a profile's exact response cache. */
    public void cacheStored(String profile) {
        cacheStored(profile, EXACT);
    }

    /** A whole answer was put in a profile's exact or semantic cache. */
    public void cacheStored(String profile, String cache) {
        Counter.builder(CACHE_STORES).description("Answers put in the response cache, by cache (exact, semantic)")
                .tags(PROFILE, value(profile), CACHE, cache).register(registry).increment();
    }

    /**
     * An operation on a profile's exact response cache failed (operation {@link #GET}: answered as a miss;
     * {@link #PUT}: not cached), with its reason ({@link #UNAVAILABLE}, {@link #CORRUPT}, {@link #TOO_LARGE},
     * {@link #UNSUPPORTED}, {@link #BUSY}).
     */
    public void cacheFailed(String profile, String operation, String reason) {
        cacheFailed(profile, EXACT, operation, reason);
    }

    /** As {@link #cacheFailed(String, String, String)}, for the exact ({@link #EXACT}) or semantic ({@link #SEMANTIC}) cache. */
    public void cacheFailed(String profile, String cache, String operation, String reason) {
        Counter.builder(CACHE_FAILURES).description("Response cache lookups answered as a miss and answers not cached because "
                        + "the store failed, by cache (exact, semantic), operation (get, put) and reason (unavailable, corrupt, "
                        + "too-large, unsupported, busy)")
                .tags(PROFILE, value(profile), CACHE, cache, CACHE_OPERATION, operation, REASON, reason).register(registry).increment();
    }

    /** The semantic cache could not embed a prompt: the call went on without it. */
    public void semanticCacheEmbedFailed(String profile) {
        Counter.builder(SEMANTIC_CACHE_EMBED_FAILURES)
                .description("Prompts the semantic cache could not embed (the call went on uncached)")
                .tags(PROFILE, value(profile)).register(registry).increment();
    }

    public void budgetRejected(String profile) {
        Counter.builder(BUDGET_REJECTIONS).description("Calls refused by a spent budget").tags(PROFILE, value(profile))
                .register(registry).increment();
    }

    @Override
    public void waited(String group, Duration wait) {
        String name = value(group);
        Timer timer = waitsByGroup.get(name);
        if (timer == null) {
            timer = Timer.builder(RATE_LIMIT_WAIT).description("Waits for rate-limit capacity").tags(GROUP, name)
                    .register(registry);
            if (waitsByGroup.size() < MAX_CACHED_MODELS) {
                waitsByGroup.put(name, timer);
            }
        }
        timer.record(wait);
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

    /** Tag values of the model tags, already defaulted to {@link #UNKNOWN}. */
    private record ModelKey(String operation, String provider, String requestModel, String responseModel, String profile) {
    }

    /**
     * The meters of one {@link ModelKey}, each registered on its first use only, so the registry gets the
     * same meters as when each request looked them up (no TTFT timer for a model never streamed, no cache
     * or cost series while there is nothing to count).
     */
    private final class ModelMeters {
        final Tags model;
        final Lazy<Counter> requests;
        final Lazy<Timer> duration;
        final Lazy<DistributionSummary> inputTokens;
        final Lazy<DistributionSummary> outputTokens;
        final Lazy<DistributionSummary> cacheReadTokens;
        final Lazy<DistributionSummary> cacheWriteTokens;
        final Lazy<Timer> timeToFirstToken;
        final Lazy<DistributionSummary> tokensPerSecond;
        final Lazy<Counter> retries;
        final Lazy<Counter> cost;

        ModelMeters(ModelKey key) {
            model = Tags.of(OPERATION, key.operation(), PROVIDER, key.provider(), REQUEST_MODEL, key.requestModel(),
                    RESPONSE_MODEL, key.responseModel(), PROFILE, key.profile());
            Tags ok = outcome(model, "ok", NONE);
            requests = new Lazy<>(() -> requestCounter(ok));
            duration = new Lazy<>(() -> durationTimer(ok));
            inputTokens = new Lazy<>(() -> tokenSummary(model, "input"));
            outputTokens = new Lazy<>(() -> tokenSummary(model, "output"));
            cacheReadTokens = new Lazy<>(() -> tokenSummary(model, "cache_read"));
            cacheWriteTokens = new Lazy<>(() -> tokenSummary(model, "cache_write"));
            timeToFirstToken = new Lazy<>(() -> timeToFirstTokenTimer(model));
            tokensPerSecond = new Lazy<>(() -> tokensPerSecondSummary(model));
            retries = new Lazy<>(() -> retriesCounter(key.profile()));
            cost = new Lazy<>(() -> costCounter(model));
        }
    }

    /**
     * A meter registered on its first use. Two threads may both register it: the registry hands both the
     * same meter, so either may be kept.
     */
    private static final class Lazy<M> {
        private final Supplier<M> register;
        private volatile M meter;

        Lazy(Supplier<M> register) {
            this.register = register;
        }

        M get() {
            M m = meter;
            if (m == null) {
                m = register.get();
                meter = m;
            }
            return m;
        }
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
