package dev.camelllm.resilience.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.resilience.LocalLimitException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component's own limits through a route: requests per minute (fail and wait modes), tokens per
 * minute counted from the usage the upstream reported, and the cap on concurrent requests, where an
 * open stream holds its slot until it ends.
 */
class RateLimitFaultTest extends FaultRouteSupport {

    /** A burst of 8 against rateLimitPerMinute=3 in fail mode: exactly 3 reach the upstream, 5 fail at once. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void burstBeyondTheLimitFailsFastInFailMode(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, false, "rateLimitPerMinute=3&rateLimitMode=fail"), false);

        List<Outcome> outcomes = burst(direct, 8);

        List<Outcome> passed = outcomes.stream().filter(o -> o.exchange().getException() == null).toList();
        List<Outcome> refused = outcomes.stream().filter(o -> o.exchange().getException() != null).toList();
        assertThat(passed).hasSize(3).allSatisfy(o -> assertThat(o.exchange().getMessage().getBody()).isEqualTo(ANSWER));
        assertThat(refused).hasSize(5).allSatisfy(o -> {
            assertThat(o.error()).isInstanceOf(LocalLimitException.class);
            assertThat(o.error().kind()).isEqualTo(ErrorKind.RATE_LIMIT);
            assertThat(o.error().getMessage()).contains("3 requests/minute").contains("rateLimitMode=fail");
            assertThat(o.millis()).isLessThan(3000L);
        });
        assertThat(requestsTo(fake, wire)).isEqualTo(3);
    }

    /**
     * Wait mode: the bucket starts full, so rateLimitPerMinute=60 lets 60 requests through without waiting;
     * the 61st and 62nd wait for the refill (one a second) and then pass.
     */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void beyondTheLimitRequestsWaitForTheRefillInWaitMode(boolean stream) throws Exception {
        Wire wire = Wire.OPENAI;
        ScriptedHttpServer fake = fake().then(Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, "rateLimitPerMinute=60&rateLimitMode=wait"), stream);
        // a first call in a group of its own, so that class loading does not count as waiting
        assertThat(send(route(llmUri("warmup", wire, fake, stream, "resilienceGroup=warmup"), stream)).exchange()
                .getException()).isNull();

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            outcomes.add(send(direct));
        }

        assertThat(outcomes).allSatisfy(o -> assertThat(o.exchange().getException()).isNull());
        assertThat(requestsTo(fake, wire)).isEqualTo(63);
        // the first 60 did not wait a refill period; the last two needed two more tokens at one a second, so the
        // 62 calls (one after the other) took at least about 2 s in all, however slow the machine (a busy machine
        // makes the first 60 slower, which shortens the wait of the last ones, but not the total)
        assertThat(outcomes.subList(0, 60)).allSatisfy(o -> assertThat(o.millis()).isLessThan(900L));
        long total = outcomes.stream().mapToLong(Outcome::millis).sum();
        assertThat(total).isBetween(1900L, 8000L);
    }

    /** Wait mode, but the next capacity is further away than rateLimitMaxWait: the call fails at once. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void waitBeyondTheMaxWaitFailsAtOnce(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, false,
                "rateLimitPerMinute=1&rateLimitMode=wait&rateLimitMaxWait=200"), false);

        assertThat(send(direct).exchange().getException()).isNull();
        Outcome second = send(direct);

        assertThat(second.error()).isInstanceOf(LocalLimitException.class);
        assertThat(second.error().getMessage()).contains("no capacity within 200 ms");
        assertThat(second.millis()).isLessThan(3000L);
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
    }

    /**
     * tokensPerMinute is charged with the usage the upstream reported: after a call that used 1200 tokens
     * of 1000 the next call is refused (fail mode); after one that used 13 the next passes.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void tokensPerMinuteCountsTheReportedUsage(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer heavy = fake().then(Upstream.answer(wire, wire.model, 700, 500));
        ScriptedHttpServer light = fake().then(Upstream.answer(wire, wire.model, 9, 4));
        String options = "tokensPerMinute=1000&rateLimitMode=fail&maxTokens=100";
        String heavyRoute = route(llmUri("heavy", wire, heavy, stream, options + "&resilienceGroup=heavy"), stream);
        String lightRoute = route(llmUri("light", wire, light, stream, options + "&resilienceGroup=light"), stream);

        assertThat(send(heavyRoute).exchange().getException()).isNull();
        Outcome refused = send(heavyRoute);
        assertThat(send(lightRoute).exchange().getException()).isNull();
        Outcome passed = send(lightRoute);

        assertThat(refused.error()).isInstanceOf(LocalLimitException.class);
        assertThat(refused.error().getMessage()).contains("1000 tokens/minute");
        assertThat(refused.millis()).isLessThan(3000L);
        assertThat(requestsTo(heavy, wire)).isEqualTo(1);
        assertThat(passed.exchange().getException()).isNull();
        assertThat(requestsTo(light, wire)).isEqualTo(2);
    }

    /**
     * A stream that reports no usage (an OpenAI-format server that ignores stream_options, or streamUsage=false)
     * is charged by its streamed text, the same four characters a token: 160 characters use about 40 of 50
     * tokens, so the third call is refused. Before, such a stream was charged its prompt only and never limited.
     */
    @org.junit.jupiter.api.Test
    void tokensPerMinuteChargesAStreamWithoutUsageByItsText() throws Exception {
        Wire wire = Wire.OPENAI;
        String part = "Forty characters of streamed answer.....";
        ScriptedHttpServer fake = fake().then(ex -> {
            ex.startStream(200, "Connection", "close");
            for (String event : wire.head(wire.model, 9)) {
                ex.send(event);
            }
            for (int i = 0; i < 4; i++) {
                ex.send(wire.text(wire.model, part));
            }
            ex.send(wire.tail(wire.model, 9, 40, false).get(0)); // the finish, without the usage chunk
            ex.send(wire.finalEvent());
            ex.endStream();
        });
        String direct = route(llmUri("primary", wire, fake, true,
                "tokensPerMinute=50&rateLimitMode=fail&streamUsage=false"), true);

        Outcome first = send(direct);
        Outcome second = send(direct);
        Outcome third = send(direct);

        assertThat(first.completed()).isTrue();
        assertThat(first.header(LlmConstants.OUTPUT_TOKENS)).as("no usage is reported as such").isIn(null, 0L);
        assertThat(second.completed()).isTrue();
        assertThat(third.error()).isInstanceOf(LocalLimitException.class);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /**
     * Attempts the upstream refused with an error status generated nothing: their estimated tokens are
     * given back, so retries are not refused by our own tokensPerMinute limit.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void failedAttemptsDoNotUseUpTheTokenBudget(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(503, wire.serverError()), Upstream.status(503, wire.serverError()),
                Upstream.status(503, wire.serverError()), Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream,
                "tokensPerMinute=1000&rateLimitMode=fail&maxTokens=300&maxRetries=3"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.attempts()).isEqualTo(4);
        assertThat(requestsTo(fake, wire)).isEqualTo(4);
    }

    /**
     * Calls the open breaker refused never reached the upstream: they do not use up the primary's
     * requests per minute, so the trial call after the open duration is not refused by the rate limit.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void callsRefusedByTheBreakerDoNotUseUpTheRateLimit(Wire wire) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        ScriptedHttpServer.Script unavailable = Upstream.status(503, wire.serverError());
        ScriptedHttpServer.Script answer = Upstream.answer(wire, wire.model, 9, 4);
        ScriptedHttpServer primary = fake().then(ex -> (down.get() ? unavailable : answer).run(ex));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 5, 2));
        profile("backup", wire, backup, "backup-model", "maxRetries=0");
        String direct = route(llmUri("primary", wire, primary, false, "maxRetries=0&fallbacks=backup"
                + "&rateLimitPerMinute=3&rateLimitMode=fail&circuitBreaker=true&circuitBreakerMinimumCalls=2"
                // open long enough that five quick calls all meet the open breaker, even on a busy machine
                + "&circuitBreakerOpenDuration=2000"), false);

        for (int i = 0; i < 5; i++) {
            assertThat(send(direct).header(dev.camelllm.component.LlmConstants.FALLBACK)).isEqualTo("backup");
        }
        assertThat(requestsTo(primary, wire)).isEqualTo(2);
        down.set(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(6))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> send(direct).header(dev.camelllm.component.LlmConstants.FALLBACK) == null);

        assertThat(requestsTo(primary, wire)).isEqualTo(3);
    }

    /**
     * maxConcurrentRequests=1: while an answer is still coming (a stream holds its slot until it ends),
     * a second request fails after maxConcurrentWait; once the first has ended, a request passes.
     */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void concurrencyCapRefusesASecondRequestWhileTheFirstIsOpen(boolean stream) throws Exception {
        Wire wire = Wire.OPENAI;
        CountDownLatch upstreamBusy = new CountDownLatch(1);
        CountDownLatch finishFirst = new CountDownLatch(1);
        ScriptedHttpServer fake = fake().then(ex -> {
            if (Upstream.wantsStream(ex.request())) {
                ex.startStream(200, "Connection", "close");
                List<String> events = wire.stream(wire.model, Upstream.PARTS, 9, 4, false);
                for (String event : events.subList(0, 3)) {
                    ex.send(event);
                }
                upstreamBusy.countDown();
                ex.await(finishFirst, Upstream.HANG_SECONDS);
                for (String event : events.subList(3, events.size())) {
                    ex.send(event);
                }
                ex.endStream();
            } else {
                upstreamBusy.countDown();
                ex.await(finishFirst, Upstream.HANG_SECONDS);
                ex.respond(200, "application/json", wire.answerJson(wire.model, ANSWER, 9, 4, false), "Connection", "close");
            }
        }, Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, "maxConcurrentRequests=1&maxConcurrentWait=150"), stream);

        CompletableFuture<Exchange> first = template.asyncSend(direct, e -> e.getMessage().setBody("Say hello"));
        assertThat(upstreamBusy.await(5, TimeUnit.SECONDS)).isTrue();
        Outcome second = send(direct);
        finishFirst.countDown();
        Exchange firstDone = first.get(5, TimeUnit.SECONDS);
        Outcome third = send(direct);

        LlmException refused = second.error();
        assertThat(refused).as("got %s", second.exchange().getException()).isInstanceOf(LocalLimitException.class);
        assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(refused.getMessage()).contains("maxConcurrentRequests");
        assertThat(second.millis()).isBetween(100L, 3000L);
        assertThat(firstDone.getException()).isNull();
        assertThat(third.exchange().getException()).isNull();
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /** Sends n requests at the same moment. */
    private List<Outcome> burst(String direct, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await(5, TimeUnit.SECONDS);
                    return send(direct);
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(10, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
