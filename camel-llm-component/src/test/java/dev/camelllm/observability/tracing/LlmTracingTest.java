package dev.camelllm.observability.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LlmTracingTest {

    @Test
    void noSdkMeansNoSpansAndAnSdkMeansSpansEvenWhenItSamplesNothing() {
        assertThat(new LlmTracing(OpenTelemetry::noop).enabled()).as("OpenTelemetry.noop()").isFalse();
        // the global one when nothing was installed: the same no-op behind a wrapper
        assertThat(new LlmTracing(GlobalOpenTelemetry::get).enabled()).as("unset GlobalOpenTelemetry").isFalse();
        // an SDK with nowhere to send spans hands out the no-op tracer too
        try (OpenTelemetrySdk idle = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build()).build()) {
            assertThat(new LlmTracing(() -> idle).enabled()).as("SDK without a span processor").isFalse();
        }

        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build()).build();
             OpenTelemetrySdk sampledOff = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .setSampler(Sampler.alwaysOff()).build()).build()) {
            assertThat(new LlmTracing(() -> sdk).enabled()).isTrue();
            // a sampler that drops our spans still needs them made: it may keep a child's or a parent's
            assertThat(new LlmTracing(() -> sampledOff).enabled()).isTrue();
        }
    }
}
