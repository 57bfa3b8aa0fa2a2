package dev.camelllm.resilience.fault;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.observability.tracing.GenAiAttributes;
import dev.camelllm.testsupport.InMemoryTracing;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.observability.tracing.GenAiAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spans of real routes against the fakes: one per call ("chat {model}", CLIENT, GenAI attributes),
 * one per attempt and one per fallback, parented on the span the caller had current; content only when
 * an endpoint asks for it, never the key.
 */
class TracingFaultTest extends FaultRouteSupport {

    @RegisterExtension
    final InMemoryTracing tracing = new InMemoryTracing();
    private final OpenTelemetry otel = tracing.otel();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        tracing.bindTo(ctx);
        return ctx;
    }

    /** The spans once the call's span (the one with llm.profile) ended. */
    private List<SpanData> spans(int count) {
        return tracing.spans(count);
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return InMemoryTracing.named(spans, name);
    }

    private static List<String> names(List<SpanData> spans) {
        return InMemoryTracing.names(spans);
    }

    /**
     * A call that fails twice on the primary (retried once), then falls back: call span → attempt 1
     * (error), attempt 2 (error), fallback span → its attempt (ok); all in the trace of the caller's span.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void retriesThenFallbackMakeOneTree(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.status(503, wire.serverError()));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 31, 8));
        profile("backup", wire, backup, "backup-model", "maxRetries=0");
        String direct = route(llmUri("primary", wire, primary, stream, "maxRetries=1&fallbacks=backup"), stream);

        Span parent = otel.getTracer("test").spanBuilder("route").startSpan();
        Outcome out;
        try (Scope ignored = parent.makeCurrent()) {
            out = send(direct);
        } finally {
            parent.end();
        }

        assertThat(out.exchange().getException()).isNull();
        List<SpanData> spans = spans(6);
        assertThat(names(spans)).containsExactlyInAnyOrder("route", "chat " + wire.model, "attempt 1", "attempt 2",
                "fallback backup", "attempt 1");
        SpanData call = named(spans, "chat " + wire.model);
        assertThat(call.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(call.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(call.getAttributes().get(REQUEST_MODEL)).isEqualTo(wire.model);
        assertThat(call.getAttributes().get(RESPONSE_MODEL)).isEqualTo("backup-model");
        assertThat(call.getAttributes().get(FALLBACK)).isEqualTo("backup");
        assertThat(call.getAttributes().get(ATTEMPTS)).isEqualTo(3L);
        assertThat(call.getAttributes().get(ERROR_TYPE)).isNull();

        SpanData fallback = named(spans, "fallback backup");
        assertThat(fallback.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(fallback.getAttributes().get(REQUEST_MODEL)).isEqualTo("backup-model");
        assertThat(fallback.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        Map<String, List<SpanData>> attemptsByParent = spans.stream().filter(s -> s.getName().startsWith("attempt "))
                .collect(Collectors.groupingBy(SpanData::getParentSpanId));
        List<SpanData> primaryAttempts = attemptsByParent.get(call.getSpanId());
        assertThat(primaryAttempts).extracting(SpanData::getName).containsExactlyInAnyOrder("attempt 1", "attempt 2");
        for (SpanData a : primaryAttempts) {
            assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(a.getAttributes().get(ERROR_TYPE)).isEqualTo("PROVIDER");
            assertThat(a.getAttributes().get(GenAiAttributes.PROVIDER_NAME)).isEqualTo(wire.provider);
        }
        List<SpanData> backupAttempts = attemptsByParent.get(fallback.getSpanId());
        assertThat(backupAttempts).hasSize(1);
        assertThat(backupAttempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(backupAttempts.get(0).getAttributes().get(ERROR_TYPE)).isNull();
        assertNoKey(spans);
    }

    /** A plain answer: the GenAI attributes with usage and finish reasons; no content by default. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void successfulCallCarriesTheGenAiAttributes(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.answer(wire, wire.model + "-2025", 19, 10));
        String direct = route(llmUri("chat", wire, upstream, stream, "maxTokens=64"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        List<SpanData> spans = spans(2);
        assertThat(names(spans)).containsExactlyInAnyOrder("chat " + wire.model, "attempt 1");
        SpanData call = named(spans, "chat " + wire.model);
        assertThat(call.getParentSpanContext().isValid()).as("a root span without a current one").isFalse();
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getAttributes().get(OPERATION_NAME)).isEqualTo("chat");
        assertThat(call.getAttributes().get(PROVIDER_NAME)).isEqualTo(wire.provider);
        assertThat(call.getAttributes().get(REQUEST_MODEL)).isEqualTo(wire.model);
        // a stream's chunks name no model: its response model is the one asked for (as in the meters)
        assertThat(call.getAttributes().get(RESPONSE_MODEL)).isEqualTo(stream ? wire.model : wire.model + "-2025");
        assertThat(call.getAttributes().get(REQUEST_MAX_TOKENS)).isEqualTo(64L);
        assertThat(call.getAttributes().get(USAGE_INPUT_TOKENS)).isEqualTo(19L);
        assertThat(call.getAttributes().get(USAGE_OUTPUT_TOKENS)).isEqualTo(10L);
        assertThat(call.getAttributes().get(RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(call.getAttributes().get(PROFILE)).isEqualTo("chat");
        assertThat(call.getAttributes().get(STREAM)).isEqualTo(stream);
        assertThat(call.getAttributes().get(INPUT_MESSAGES)).isNull();
        assertThat(call.getAttributes().get(OUTPUT_MESSAGES)).isNull();
        assertThat(named(spans, "attempt 1").getParentSpanId()).isEqualTo(call.getSpanId());
        assertNoKey(spans);
    }

    /** traceContent=true: prompt and completion as the conventions' message JSON. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void contentOnlyWhenOptedIn(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer upstream = fake().then(Upstream.answer(wire, wire.model, 5, 4));
        String direct = route(llmUri("chat", wire, upstream, stream,
                "traceContent=true&systemPrompt=Be brief"), stream);

        Outcome out = send(direct, "What is the capital of France?");

        assertThat(out.exchange().getException()).isNull();
        SpanData call = named(spans(2), "chat " + wire.model);
        assertThat(call.getAttributes().get(INPUT_MESSAGES))
                .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the capital of France?\"}]}]");
        assertThat(call.getAttributes().get(SYSTEM_INSTRUCTIONS))
                .isEqualTo("[{\"type\":\"text\",\"content\":\"Be brief\"}]");
        assertThat(call.getAttributes().get(OUTPUT_MESSAGES)).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
                + "\"content\":\"" + Upstream.ANSWER + "\"}],\"finish_reason\":\"stop\"}]");
    }

    /** A call that fails for good: error.type and an error status on the call span, the key nowhere. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void failedCallHasErrorType(Wire wire, boolean stream) throws Exception {
        // the upstream echoes the key: the span's status message must not
        ScriptedHttpServer upstream = fake().then(Upstream.status(401, wire.unauthorized(KEY)));
        String direct = route(llmUri("chat", wire, upstream, stream, "traceContent=true"), stream);

        Outcome out = send(direct);

        assertThat(out.error()).isNotNull();
        List<SpanData> spans = spans(2);
        SpanData call = named(spans, "chat " + wire.model);
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(out.error().kind().name()).isEqualTo("AUTHENTICATION");
        assertThat(call.getAttributes().get(ERROR_TYPE)).isEqualTo("AUTHENTICATION");
        assertThat(named(spans, "attempt 1").getAttributes().get(ERROR_TYPE)).isEqualTo("AUTHENTICATION");
        assertNoKey(spans);
    }

    private static void assertNoKey(List<SpanData> spans) {
        for (SpanData s : spans) {
            assertThat(s.getAttributes().toString()).doesNotContain(KEY);
            assertThat(s.getStatus().getDescription()).doesNotContain(KEY);
        }
    }
}
