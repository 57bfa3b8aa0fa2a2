package dev.camelllm.observability;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.Usage;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LlmMetrics keeps the meters of a model and profile at hand: the same meters, and no other ones, as when
 * every request looked them up in the registry.
 */
class LlmMetricsCacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LlmMetrics metrics = new LlmMetrics(registry);

    private static RequestRecord ok(String profile, String provider, String requestModel, String responseModel,
            boolean stream, Usage usage, long ttftMs, long durationMs, double tokensPerSecond, int retries, Double cost) {
        return new RequestRecord("id", profile, provider, requestModel, responseModel, stream, null, 0, null, usage,
                ttftMs, durationMs, tokensPerSecond, retries + 1, retries, null, cost, RequestRecord.CHAT);
    }

    private static RequestRecord failed(String profile, String provider, String requestModel, boolean stream,
            String errorType, Usage usage, long ttftMs, int retries) {
        return new RequestRecord("id", profile, provider, requestModel, null, stream, errorType, 500, "boom", usage,
                ttftMs, 30, 0, retries + 1, retries, null, null, RequestRecord.CHAT);
    }

    @Test
    void twoRequestsOfOneModelCountOnTheSameMeters() {
        metrics.record(ok("chat", "openai", "gpt-4o-mini", "gpt-4o-mini-1", false, new Usage(10, 5), -1, 100, 40, 0, 0.25));
        Counter requests = registry.find("llm.requests").counter();
        Timer duration = registry.find("gen_ai.client.operation.duration").timer();
        DistributionSummary input = registry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary();
        Counter cost = registry.find("llm.cost").counter();
        int meterCount = registry.getMeters().size();

        metrics.record(ok("chat", "openai", "gpt-4o-mini", "gpt-4o-mini-1", false, new Usage(7, 3), -1, 50, 30, 0, 0.5));

        assertThat(registry.getMeters()).hasSize(meterCount);
        assertThat(registry.find("llm.requests").counter()).isSameAs(requests);
        assertThat(registry.find("gen_ai.client.operation.duration").timer()).isSameAs(duration);
        assertThat(registry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary()).isSameAs(input);
        assertThat(registry.find("llm.cost").counter()).isSameAs(cost);
        assertThat(requests.count()).isEqualTo(2.0);
        assertThat(duration.count()).isEqualTo(2);
        assertThat(duration.totalTime(MILLISECONDS)).isEqualTo(150.0);
        assertThat(input.count()).isEqualTo(2);
        assertThat(input.totalAmount()).isEqualTo(17.0);
        assertThat(registry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().totalAmount())
                .isEqualTo(8.0);
        assertThat(registry.find("llm.tokens_per_second").summary().totalAmount()).isEqualTo(70.0);
        assertThat(cost.count()).isEqualTo(0.75);
    }

    @Test
    void aMeterRemovedFromTheRegistryIsRegisteredAgainByTheNextRequest() {
        RequestRecord r = ok("chat", "openai", "gpt-4o-mini", "gpt-4o-mini-1", false, new Usage(10, 5), -1, 100, 40, 0, null);
        metrics.record(r);
        Counter first = registry.find("llm.requests").counter();

        registry.remove(first);
        metrics.record(r);

        Counter again = registry.find("llm.requests").counter();
        assertThat(again).isNotNull().isNotSameAs(first);
        assertThat(again.count()).isEqualTo(1.0);
        assertThat(registry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary().count())
                .isEqualTo(2);
    }

    @Test
    void modelsPastTheCacheBoundAreStillCounted() {
        int models = LlmMetrics.MAX_CACHED_MODELS + 10;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < models; i++) {
                metrics.record(ok("chat", "openai", "m" + i, "m" + i, false, Usage.EMPTY, -1, 1, 0, 0, null));
            }
        }

        assertThat(registry.find("llm.requests").counters()).hasSize(models);
        assertThat(registry.find("llm.requests").counters()).allSatisfy(c -> assertThat(c.count()).isEqualTo(2.0));
        assertThat(registry.find("llm.requests").tag("gen_ai.request.model", "m" + (models - 1)).counter().count())
                .isEqualTo(2.0);
    }

    /** The meters that recording these requests registered before the meters were cached, written out. */
    @Test
    void aMixOfRequestsRegistersExactlyTheMetersItRegisteredBefore() {
        // two answers of one model, the second with prompt-cache reads and a price
        metrics.record(ok("chat", "openai", "gpt-4o-mini", "gpt-4o-mini-1", false, new Usage(10, 5), -1, 120, 40, 0, null));
        metrics.record(ok("chat", "openai", "gpt-4o-mini", "gpt-4o-mini-1", false, new Usage(12, 6, 3, 0), -1, 80, 0, 0, 0.0002));
        // a failure of the same profile with retries: no model answered
        metrics.record(failed("chat", "openai", "gpt-4o-mini", false, "RATE_LIMIT", Usage.EMPTY, -1, 2));
        // a stream with a first token, cache writes and a retry
        metrics.record(ok("streamer", "anthropic", "claude-x", "claude-x-1", true, new Usage(9, 2, 0, 4), 35, 200, 50, 1, null));
        // a stream without a first token, no usage, a blank profile, a price of 0
        metrics.record(ok(" ", "openai", "gpt-4o", "gpt-4o", true, Usage.EMPTY, -1, 10, 0, 0, 0.0));
        // a stream cut after its first token: tokens, but no TTFT and no tokens/s for a failure
        metrics.record(failed("streamer", "anthropic", "claude-x", true, "STREAM", new Usage(9, 0), 10, 0));

        String a = "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=gpt-4o-mini,"
                + "gen_ai.response.model=gpt-4o-mini-1";
        String aFailed = "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=gpt-4o-mini,"
                + "gen_ai.response.model=unknown";
        String b = "gen_ai.operation.name=chat,gen_ai.provider.name=anthropic,gen_ai.request.model=claude-x,"
                + "gen_ai.response.model=claude-x-1";
        String bFailed = "gen_ai.operation.name=chat,gen_ai.provider.name=anthropic,gen_ai.request.model=claude-x,"
                + "gen_ai.response.model=unknown";
        String c = "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=gpt-4o,"
                + "gen_ai.response.model=gpt-4o";
        assertThat(ids()).containsExactlyInAnyOrder(
                "COUNTER llm.requests{error.type=none," + a + ",llm.profile=chat,outcome=ok}",
                "TIMER gen_ai.client.operation.duration{error.type=none," + a + ",llm.profile=chat,outcome=ok}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + a + ",gen_ai.token.type=input,llm.profile=chat}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + a + ",gen_ai.token.type=output,llm.profile=chat}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + a + ",gen_ai.token.type=cache_read,llm.profile=chat}",
                "DISTRIBUTION_SUMMARY llm.tokens_per_second{" + a + ",llm.profile=chat}",
                "COUNTER llm.cost{" + a + ",llm.profile=chat}",

                "COUNTER llm.requests{error.type=RATE_LIMIT," + aFailed + ",llm.profile=chat,outcome=error}",
                "TIMER gen_ai.client.operation.duration{error.type=RATE_LIMIT," + aFailed + ",llm.profile=chat,outcome=error}",
                "COUNTER llm.retries{llm.profile=chat}",

                "COUNTER llm.requests{error.type=none," + b + ",llm.profile=streamer,outcome=ok}",
                "TIMER gen_ai.client.operation.duration{error.type=none," + b + ",llm.profile=streamer,outcome=ok}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + b + ",gen_ai.token.type=input,llm.profile=streamer}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + b + ",gen_ai.token.type=output,llm.profile=streamer}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + b + ",gen_ai.token.type=cache_write,llm.profile=streamer}",
                "TIMER llm.time_to_first_token{" + b + ",llm.profile=streamer}",
                "DISTRIBUTION_SUMMARY llm.tokens_per_second{" + b + ",llm.profile=streamer}",
                "COUNTER llm.retries{llm.profile=streamer}",

                "COUNTER llm.requests{error.type=none," + c + ",llm.profile=unknown,outcome=ok}",
                "TIMER gen_ai.client.operation.duration{error.type=none," + c + ",llm.profile=unknown,outcome=ok}",
                "COUNTER llm.cost{" + c + ",llm.profile=unknown}",

                "COUNTER llm.requests{error.type=STREAM," + bFailed + ",llm.profile=streamer,outcome=error}",
                "TIMER gen_ai.client.operation.duration{error.type=STREAM," + bFailed + ",llm.profile=streamer,outcome=error}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + bFailed + ",gen_ai.token.type=input,llm.profile=streamer}",
                "DISTRIBUTION_SUMMARY gen_ai.client.token.usage{" + bFailed + ",gen_ai.token.type=output,llm.profile=streamer}");

        // one gauge per bucket: 14 for each of the 6 timers with buckets and the 8 token summaries
        assertThat(registry.getMeters().stream().map(Meter::getId).filter(LlmMetricsCacheTest::isBucketGauge))
                .hasSize(14 * 14);
        assertThat(descriptions()).containsExactlyInAnyOrder(
                "gen_ai.client.operation.duration: Duration of a whole call, retries and fallbacks included (unit seconds)",
                "gen_ai.client.token.usage: Tokens per call, by type (unit null)",
                "llm.cost: Cost of the answered calls, from the price table (unit usd)",
                "llm.requests: Requests to language models, by outcome (unit null)",
                "llm.retries: Attempts that were retries (unit null)",
                "llm.time_to_first_token: Time from the request to the first streamed output (unit seconds)",
                "llm.tokens_per_second: Output tokens per second of generation (unit null)");
        assertThat(bucketsMs(registry.find("gen_ai.client.operation.duration").tag("outcome", "ok").timer()))
                .containsExactly(10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 1280.0, 2560.0, 5120.0, 10240.0, 20480.0,
                        40960.0, 81920.0);
        assertThat(bucketsMs(registry.find("llm.time_to_first_token").timer()))
                .containsExactly(10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 1280.0, 2560.0, 5120.0, 10240.0, 20480.0,
                        40960.0, 81920.0);
        assertThat(Arrays.stream(registry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "cache_write")
                .summary().takeSnapshot().histogramCounts()).map(CountAtBucket::bucket))
                .containsExactly(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0,
                        4194304.0, 16777216.0, 67108864.0);
        assertThat(registry.find("llm.tokens_per_second").summaries())
                .allSatisfy(s -> assertThat(s.takeSnapshot().histogramCounts()).isEmpty());
    }

    /** The ids of the meters, without the gauges SimpleMeterRegistry adds per histogram bucket. */
    private Set<String> ids() {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> !isBucketGauge(id))
                .map(id -> id.getType() + " " + id.getName() + id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
                        .collect(Collectors.joining(",", "{", "}")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isBucketGauge(Meter.Id id) {
        return id.getType() == Meter.Type.GAUGE && id.getName().endsWith(".histogram");
    }

    private Set<String> descriptions() {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> !isBucketGauge(id))
                .map(id -> id.getName() + ": " + id.getDescription() + " (unit " + id.getBaseUnit() + ")")
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void rateLimitWaitsOfAGroupGoToOneTimerThatIsRegisteredAgainAfterTheRegistryDropsIt() {
        metrics.waited("openai@a", java.time.Duration.ofMillis(5));
        metrics.waited("openai@a", java.time.Duration.ZERO);
        metrics.waited("openai@b", java.time.Duration.ofMillis(1));
        Timer a = registry.find(LlmMetrics.RATE_LIMIT_WAIT).tag(LlmMetrics.GROUP, "openai@a").timer();
        assertThat(a).isNotNull();
        assertThat(a.count()).isEqualTo(2);
        assertThat(registry.find(LlmMetrics.RATE_LIMIT_WAIT).timers()).hasSize(2);

        registry.clear();
        metrics.waited("openai@a", java.time.Duration.ofMillis(2));

        Timer again = registry.find(LlmMetrics.RATE_LIMIT_WAIT).tag(LlmMetrics.GROUP, "openai@a").timer();
        assertThat(again).isNotNull().isNotSameAs(a);
        assertThat(again.count()).isEqualTo(1);
    }

    private static List<Double> bucketsMs(Timer timer) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts()).map(b -> b.bucket(MILLISECONDS)).toList();
    }
}
