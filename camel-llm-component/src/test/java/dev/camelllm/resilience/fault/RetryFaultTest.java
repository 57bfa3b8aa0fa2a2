package dev.camelllm.resilience.fault;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenarios 1–4 and the error events after HTTP 200: failures a retry can help are
 * retried (after the wait the upstream asked for, else after a backoff), counted in CamelLlmAttempts,
 * and given up after maxRetries with a typed error.
 */
class RetryFaultTest extends FaultRouteSupport {

    /** Scenario 1: 429 with Retry-After: 1 waits about a second, then succeeds. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void rateLimitedWithRetryAfterWaitsThatLong(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(429, wire.rateLimited(), "retry-after", "1"),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        // retryInitialDelay is 20 ms: only the header explains the wait
        assertThat(out.millis()).isBetween(900L, 4000L);
    }

    /** Scenario 1, OpenAI's millisecond variant: retry-after-ms wins over the backoff. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void rateLimitedWithRetryAfterMsWaitsThatLong(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(429, wire.rateLimited(), "retry-after-ms", "300"),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        assertThat(out.millis()).isBetween(270L, 4000L);
    }

    /** Scenario 1, capped: a Retry-After beyond maxRetryAfter waits only maxRetryAfter. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void retryAfterIsCappedByMaxRetryAfter(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(429, wire.rateLimited(), "retry-after", "30"),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, false, "maxRetryAfter=200"), false);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(out.millis()).isBetween(180L, 5000L);
    }

    /** Per-request class: OpenAI's 429 insufficient_quota is out of credit, not a rate limit: no retry. */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void insufficientQuotaIsNotRetried(boolean stream) throws Exception {
        Wire wire = Wire.OPENAI;
        ScriptedHttpServer fake = fake().then(Upstream.status(429, wire.error("insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details."), "retry-after", "1"),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmRejectedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA);
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 2: 429 without retry-after backs off (with jitter), then succeeds. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void rateLimitedWithoutRetryAfterBacksOff(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(429, wire.rateLimited()), Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, "retryInitialDelay=200&retryJitter=0.5"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        // 200 ms ± 50 %
        assertThat(out.millis()).isBetween(100L, 4000L);
    }

    /** Scenario 3: one 500, then 200: one retry, success, the retry counted; the answer's usage is the 200's. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void oneServerErrorIsRetriedOnce(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(500, wire.serverError()), Upstream.answer(wire, wire.model, 21, 6));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.completed()).isTrue();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        assertThat(out.header(LlmConstants.INPUT_TOKENS)).isEqualTo(21L);
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(6L);
        assertThat(out.header(LlmConstants.FALLBACK)).isNull();
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 4: a persistent 503 gives up after maxRetries with a typed provider error, in bounded time. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void persistentUnavailableGivesUpAfterMaxRetries(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(503, wire.serverError()));
        String direct = route(llmUri("primary", wire, fake, stream, "maxRetries=3&retryInitialDelay=30&retryMultiplier=2"),
                stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmApiException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(requestsTo(fake, wire)).isEqualTo(4);
        assertThat(out.completed()).isFalse();
        // backoffs of 30 + 60 + 120 ms
        assertThat(out.millis()).isBetween(200L, 5000L);
    }

    /**
     * An error after HTTP 200 before any output (OpenAI {@code data: {"error":…}}, Anthropic
     * {@code event: error} overloaded_error; blocking: the error object as a 200 body, or a 529) is a
     * retryable provider error: retried, then the answer.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void errorAfterHttp200BeforeOutputIsRetried(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.errorEventBeforeOutput(wire, wire.model),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        if (stream) {
            // nothing of the failed attempt reached the route
            assertThat(tokens).containsExactlyElementsOf(Upstream.PARTS);
        }
    }

    /** The same error event after output started ends the exchange with the provider error: no retry. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void errorEventAfterOutputFailsWithoutRetry(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.errorEventAfterOutput(wire, wire.model),
                Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, true, ""), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmApiException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.statusCode()).isZero();
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(tokens).containsExactly("Hel", "lo");
        assertThat(out.completed()).isFalse();
        assertThat(out.header(LlmConstants.FINISH_REASON)).isNull();
        assertThat(out.millis()).isLessThan(5000L);
    }
}
