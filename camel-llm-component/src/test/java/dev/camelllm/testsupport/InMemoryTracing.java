package dev.camelllm.testsupport;

import java.time.Duration;
import java.util.List;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * An OpenTelemetry SDK that keeps the finished spans in memory, for tests that read a call's spans. Registered
 * with {@code @RegisterExtension}, it closes its SDK after each test.
 */
public final class InMemoryTracing implements AutoCloseable, AfterEachCallback {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetry otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

    public OpenTelemetry otel() {
        return otel;
    }

    /** Binds the SDK in the context's registry, where the component finds it as an application's SDK bean. */
    public void bindTo(CamelContext context) {
        context.getRegistry().bind("otel", otel);
    }

    /** The finished spans, once there are at least {@code count} (bounded wait). */
    public List<SpanData> spans(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> exporter.getFinishedSpanItems().size() >= count);
        return exporter.getFinishedSpanItems();
    }

    public static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + names(spans)));
    }

    public static List<String> names(List<SpanData> spans) {
        return spans.stream().map(SpanData::getName).toList();
    }

    @Override
    public void close() {
        tracerProvider.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
