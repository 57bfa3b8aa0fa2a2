package dev.camelllm.resilience.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * One deadline per call over its retries, waits and fallbacks; caps on calls in flight that shed at once;
 * a cancelled call frees its connection.
 */
class ExecutionFaultTest extends FaultRouteSupport {

    private static final String DOWN = "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}";

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext ctx = super.createCamelContext();
        ctx.getComponent("llm", dev.camelllm.component.LlmComponent.class).setGlobalMaxInFlight(3);
        return ctx;
    }

    /** Retries with backoffs that would outlast the deadline: the call ends at it, saying what used the time. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void theDeadlineCoversRetriesAndBackoffs(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.status(503, DOWN));
        String direct = route(llmUri("primary", wire, upstream, stream,
                "maxRetries=20&retryInitialDelay=150&deadline=600"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("deadline of 600 ms").contains("attempt 1").contains("backoff 1")
                .contains("deadline option");
        // 20 retries of 150 ms cannot fit into 600 ms: the deadline, not maxRetries, ended the call
        assertThat(requestsTo(upstream, wire)).isBetween(2L, 6L);
    }

    /** The primary fails, its fallback never answers: the fallback gets only what is left of the deadline. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void aFallbackGetsWhatIsLeftOfTheDeadline(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.status(503, DOWN));
        ScriptedHttpServer slow = fake().then(Upstream.silent(release));
        profile("slow", wire, slow, "slow-model", "maxRetries=0&timeout=20000");
        String direct = route(llmUri("primary", wire, primary, stream, "maxRetries=0&deadline=3000&fallbacks=slow"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("deadline of 3000 ms");
        assertThat(slow.requests()).hasSize(1);
        // the fallback's own timeout is 20 s: only the deadline can have ended it this early
        assertThat(out.millis()).isLessThan(15_000L);
    }

    /** The CamelLlmDeadline header sets one exchange's deadline. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void theDeadlineHeaderOverridesTheOption(Wire wire) throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.silent(release));
        String direct = route(llmUri("primary", wire, upstream, false, "maxRetries=0&timeout=20000"), false);

        Exchange out = template.send(direct, ex -> {
            ex.getMessage().setBody("Say hello");
            ex.getMessage().setHeader(LlmConstants.DEADLINE, 400L);
        });

        LlmException e = llmCause(out.getException());
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("deadline of 400 ms");
    }

    @Test
    void aDeadlineHeaderThatIsNotPositiveIsRefusedBeforeAnyCall() throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.answer(Wire.OPENAI, Wire.OPENAI.model, 3, 2));
        String direct = route(llmUri("primary", Wire.OPENAI, upstream, false, ""), false);

        for (Object bad : List.of(0L, -5L, "soon")) {
            Exchange out = template.send(direct, ex -> {
                ex.getMessage().setBody("Say hello");
                ex.getMessage().setHeader(LlmConstants.DEADLINE, bad);
            });
            LlmException e = llmCause(out.getException());
            assertThat(e).as("header %s", bad).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(e.getMessage()).contains(LlmConstants.DEADLINE).contains(String.valueOf(bad));
        }
        assertThat(upstream.requests()).isEmpty();
    }

    /** A profile's cap: two calls hold the upstream, the third is shed at once with a retryable OVERLOADED error. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void aFullProfileCapShedsAtOnce(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.silent(release));
        String direct = route(llmUri("capped", wire, upstream, stream, "maxRetries=0&maxInFlight=2"), stream);

        List<Future<Exchange>> held = new CopyOnWriteArrayList<>();
        held.add(template.asyncSend(direct, ex -> ex.getMessage().setBody("one")));
        held.add(template.asyncSend(direct, ex -> ex.getMessage().setBody("two")));
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 2);

        Outcome shed = send(direct);

        LlmException e = shed.error();
        assertThat(e).as("got %s", shed.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(e.getMessage()).contains("maxInFlight").contains("capped");
        assertThat(upstream.requests()).hasSize(2);
        release.countDown();
        for (Future<Exchange> f : held) {
            f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> llm().calls().open() == 0);
    }

    /** The component's cap (3 in this class) counts every profile together. */
    @Test
    void theComponentCapShedsAcrossProfiles() throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.silent(release));
        String first = route(llmUri("a", Wire.OPENAI, upstream, false, "maxRetries=0"), false);
        String second = route(llmUri("b", Wire.ANTHROPIC, upstream, false, "maxRetries=0"), false);

        List<Future<Exchange>> held = new CopyOnWriteArrayList<>();
        held.add(template.asyncSend(first, ex -> ex.getMessage().setBody("one")));
        held.add(template.asyncSend(first, ex -> ex.getMessage().setBody("two")));
        held.add(template.asyncSend(second, ex -> ex.getMessage().setBody("three")));
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 3);
        Outcome shed = send(first);

        assertThat(shed.error()).as("got %s", shed.exchange().getException()).isNotNull();
        assertThat(shed.error().kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(shed.error().getMessage()).contains("the component").contains("globalMaxInFlight");
        assertThat(upstream.requests()).hasSize(3);
        release.countDown();
        for (Future<Exchange> f : held) {
            f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A cancelled call (here: its exchange's cancellation fired) aborts the upstream request and frees the connection. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void aCancelledCallFreesItsConnection(Wire wire, boolean stream) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean closedByClient = new java.util.concurrent.atomic.AtomicBoolean();
        ScriptedHttpServer upstream = fake().then(ex -> closedByClient.set(ex.awaitClientClose(20)));
        String direct = route(llmUri("primary", wire, upstream, stream, "maxRetries=0&timeout=20000"), stream);
        dev.camelllm.execution.Cancellation cancellation = new dev.camelllm.execution.Cancellation();

        Future<Exchange> pending = template.asyncSend(direct, ex -> {
            ex.getMessage().setBody("Say hello");
            ex.setProperty(LlmConstants.CANCELLATION_PROPERTY, cancellation);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);
        cancellation.cancel("the test's client left");

        Exchange out = pending.get(10, java.util.concurrent.TimeUnit.SECONDS);
        LlmException e = llmCause(out.getException());
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat(e.getMessage()).contains("the test's client left");
        await().atMost(Duration.ofSeconds(10)).untilTrue(closedByClient);
    }

    /**
     * A call waiting for its group's limits (the minute's one request is spent; the concurrency cap's one
     * slot is held by a silent upstream) ends as CANCELLED as soon as it is cancelled, not when its wait (up
     * to 60 s for the minute, 90 s for the slot) would run out.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rateLimitPerMinute=1", "maxConcurrentRequests=1"})
    void aCancelWakesACallWaitingForItsLimits(String limit) throws Exception {
        Wire wire = Wire.OPENAI;
        ScriptedHttpServer upstream = fake().then(limit.startsWith("rate") ? Upstream.answer(wire, wire.model, 9, 4)
                : Upstream.silent(release));
        String direct = route(llmUri("primary", wire, upstream, false, limit
                + "&rateLimitMode=wait&rateLimitMaxWait=90000&maxConcurrentWait=90000&maxRetries=0&timeout=60000"), false);
        Future<Exchange> first = template.asyncSend(direct, ex -> ex.getMessage().setBody("Say hello"));
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);
        dev.camelllm.execution.Cancellation cancellation = new dev.camelllm.execution.Cancellation();

        long start = System.nanoTime();
        Future<Exchange> waiting = template.asyncSend(direct, ex -> {
            ex.getMessage().setBody("Say hello");
            ex.setProperty(LlmConstants.CANCELLATION_PROPERTY, cancellation);
        });
        // it waits: the group has nothing for it for the next minute
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        cancellation.cancel("the test's client left");

        Exchange out = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        LlmException e = llmCause(out.getException());
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the cancelled call ended").isLessThan(15_000L);
        assertThat(upstream.requests()).hasSize(1);
        release.countDown();
        first.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
}
