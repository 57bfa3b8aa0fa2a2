package dev.camelllm.routes;

import java.util.Map;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/**
 * LLM_TRACING=true: installs the OpenTelemetry SDK, configured by the standard OTEL_* variables, as the
 * global one before Camel starts, so that the llm: spans and Camel's route spans (camel-opentelemetry2)
 * are exported. Metrics and logs stay off here unless OTEL_* asks for them: /observe/metrics serves the meters.
 */
final class RoutesTracing {

    private RoutesTracing() {
    }

    static boolean enabled(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault("LLM_TRACING", "false").trim());
    }

    static void installIfEnabled(Map<String, String> env) {
        if (!enabled(env)) {
            return;
        }
        AutoConfiguredOpenTelemetrySdk.builder()
                // defaults only: OTEL_* variables and otel.* system properties win
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", "camel-llm-routes",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .setResultAsGlobal()
                .build();
    }
}
