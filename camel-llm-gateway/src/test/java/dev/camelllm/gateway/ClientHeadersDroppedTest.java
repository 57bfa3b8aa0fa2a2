package dev.camelllm.gateway;

import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.junit.jupiter.api.Test;

import dev.camelllm.observability.tracing.LlmTracing;

import static org.assertj.core.api.Assertions.assertThat;

class ClientHeadersDroppedTest {

    /** A propagator of a header of its own, as a vendor's or an in-house one has. */
    private static final TextMapPropagator CUSTOM = new TextMapPropagator() {
        @Override
        public Collection<String> fields() {
            return List.of("X-Acme-Trace");
        }

        @Override
        public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        }

        @Override
        public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
            return context;
        }
    };

    @Test
    void traceContextHeadersPassAndEveryOtherClientHeaderIsDropped() {
        ClientHeadersDropped filter = new ClientHeadersDropped(null, new LlmTracing(OpenTelemetry::noop)::propagationFields);
        for (String kept : List.of("traceparent", "TraceState", "baggage", "b3", "X-B3-TraceId", "uber-trace-id",
                "uberctx-user")) {
            assertThat(filter.applyFilterToExternalHeaders(kept, "v", null)).as(kept).isFalse();
        }
        for (String dropped : List.of("Authorization", "x-api-key", "CamelLlmModel", "X-Acme-Trace", "Cookie")) {
            assertThat(filter.applyFilterToExternalHeaders(dropped, "v", null)).as(dropped).isTrue();
        }
    }

    @Test
    void aCustomPropagatorsHeaderPassesToo() {
        OpenTelemetry otel = OpenTelemetry.propagating(ContextPropagators.create(CUSTOM));
        ClientHeadersDropped filter = new ClientHeadersDropped(null, new LlmTracing(() -> otel)::propagationFields);

        assertThat(filter.applyFilterToExternalHeaders("x-acme-trace", "v", null)).isFalse();
        assertThat(filter.applyFilterToExternalHeaders("X-ACME-TRACE", "v", null)).isFalse();
        assertThat(filter.applyFilterToExternalHeaders("traceparent", "v", null)).isFalse();
        assertThat(filter.applyFilterToExternalHeaders("Authorization", "v", null)).isTrue();
    }
}
