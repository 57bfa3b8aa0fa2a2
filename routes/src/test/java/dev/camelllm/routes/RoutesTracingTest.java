package dev.camelllm.routes;

import java.util.Map;

import io.opentelemetry.api.GlobalOpenTelemetry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesTracingTest {

    @Test
    void offUnlessAskedFor() {
        assertThat(RoutesTracing.enabled(Map.of())).isFalse();
        assertThat(RoutesTracing.enabled(Map.of("LLM_TRACING", "false"))).isFalse();
        assertThat(RoutesTracing.enabled(Map.of("LLM_TRACING", " TRUE "))).isTrue();
    }

    @Test
    void offInstallsNothing() {
        RoutesTracing.installIfEnabled(Map.of());

        // still OpenTelemetry's no-op: no SDK was made global
        assertThat(GlobalOpenTelemetry.get().getTracer("t").spanBuilder("s").startSpan().getSpanContext().isValid())
                .isFalse();
    }
}
