package dev.camelllm.resilience.fault;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenarios 12 and 13: a context-length error and a content-filter rejection are never
 * retried on the same model; each has its own fallback chain, and the general fallbacks do not apply.
 */
class RejectionFaultTest extends FaultRouteSupport {

    /** Scenario 12: OpenAI's context_length_exceeded, Anthropic's "prompt is too long": one request, a typed error. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void contextLengthErrorIsNotRetried(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(400, wire.contextTooLong()), Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, "maxRetries=3"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmRejectedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_WINDOW);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.retryable()).isFalse();
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /**
     * Scenario 12 with contextWindowFallbacks=big: the big profile answers (the general fallbacks are not
     * used for this class of failure), and the headers say so.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void contextLengthErrorGoesToTheContextWindowChain(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(400, wire.contextTooLong()));
        ScriptedHttpServer big = fake().then(Upstream.answer(wire, "big-model", 150_000, 12));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 9, 4));
        profile("big", wire, big, "big-model", "");
        profile("backup", wire, backup, "backup-model", "");
        String direct = route(llmUri("primary", wire, fake, stream,
                "maxRetries=3&contextWindowFallbacks=big&fallbacks=backup"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(requestsTo(big, wire)).isEqualTo(1);
        assertThat(backup.requests()).isEmpty();
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("big");
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("big-model");
        assertThat(out.header(LlmConstants.INPUT_TOKENS)).isEqualTo(150_000L);
        assertThat(out.attempts()).isEqualTo(2);
    }

    /** Scenario 13: OpenAI's 400 content_filter: one request, a clear typed error; general fallbacks unused. */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void contentFilterRejectionIsNotRetried(boolean stream) throws Exception {
        Wire wire = Wire.OPENAI;
        ScriptedHttpServer fake = fake().then(Upstream.status(400, contentFilter()));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 9, 4));
        profile("backup", wire, backup, "backup-model", "");
        String direct = route(llmUri("primary", wire, fake, stream, "maxRetries=3&fallbacks=backup"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmRejectedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_POLICY);
        assertThat(e.errorType()).isEqualTo("content_filter");
        assertThat(e.getMessage()).contains("content management policy");
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(backup.requests()).isEmpty();
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 13 with contentPolicyFallbacks: the rejection goes to that chain (here a model of the other format). */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void contentFilterRejectionGoesToTheContentPolicyChain(boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(400, contentFilter()));
        ScriptedHttpServer safe = fake().then(Upstream.answer(Wire.ANTHROPIC, "safe-model", 10, 5));
        profile("safe", Wire.ANTHROPIC, safe, "safe-model", "");
        String direct = route(llmUri("primary", Wire.OPENAI, fake, stream, "contentPolicyFallbacks=safe"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(requestsTo(fake, Wire.OPENAI)).isEqualTo(1);
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("safe");
        assertThat(out.header(LlmConstants.PROVIDER)).isEqualTo("anthropic");
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("safe-model");
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(5L);
    }

    /**
     * Scenario 13, the answer form: OpenAI finish_reason content_filter, Anthropic stop_reason refusal.
     * Not retried; the finish reason says so (normalised and raw).
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void refusalIsNotRetriedAndSaysSo(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.refusal(wire, wire.model), Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, "maxRetries=3"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(out.header(LlmConstants.FINISH_REASON)).isEqualTo("content_filter");
        assertThat(out.header(LlmConstants.RAW_FINISH_REASON)).isEqualTo(wire.rawRefusal());
        assertThat(out.attempts()).isEqualTo(1);
    }

    /**
     * Scenario 13: with contentPolicyFallbacks a refused blocking answer (finish_reason content_filter,
     * stop_reason refusal) goes to that chain, as for a content-filter error status.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void refusalGoesToTheContentPolicyChain(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.refusal(wire, wire.model));
        ScriptedHttpServer safe = fake().then(Upstream.answer(wire, "safe-model", 10, 5));
        profile("safe", wire, safe, "safe-model", "");
        String direct = route(llmUri("primary", wire, fake, false, "contentPolicyFallbacks=safe"), false);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.exchange().getMessage().getBody()).isEqualTo(ANSWER);
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertThat(requestsTo(safe, wire)).isEqualTo(1);
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("safe");
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("safe-model");
        assertThat(out.header(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(5L);
    }

    private static String contentFilter() {
        return Wire.OPENAI.error(null, "content_filter", "The response was filtered due to the prompt triggering content "
                + "management policy. Please modify your prompt and retry.");
    }
}
