package dev.camelllm.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camelllm.gateway.LlmGatewayRoutes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway request with Camel's OpenTelemetry support (camel-opentelemetry2) on: the client's span is
 * sent as traceparent, Camel's route spans continue that trace, and the llm call's span is a child of
 * the Camel span that was current when the route called llm:, with its attempt under it.
 */
@Timeout(60)
class GatewayTracingTest {

    private static final String KEY = "gw-trace-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
    private static final SdkTracerProvider TRACER_PROVIDER = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build();
    private static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder().setTracerProvider(TRACER_PROVIDER)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    private static Main main;
    private static String gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        int port = EchoGateway.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = EchoGateway.settings(port, KEY);
        p.put("camel.opentelemetry2.enabled", "true");
        main = new Main();
        main.setOverrideProperties(p);
        // camel-opentelemetry2 takes the only Tracer and ContextPropagators of the registry; llm: its OpenTelemetry
        main.bind("otel", OTEL);
        main.bind("camelTracer", OTEL.getTracer("camel"));
        main.bind("propagators", OTEL.getPropagators());
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
    }

    @AfterAll
    static void stopGateway() {
        if (main != null) {
            main.stop();
        }
        TRACER_PROVIDER.close();
    }

    @BeforeEach
    void clear() {
        EXPORTER.reset();
    }

    @Test
    void theLlmSpanContinuesTheClientsTraceUnderCamelsSpan() throws Exception {
        Span client = OTEL.getTracer("test").spanBuilder("client").setSpanKind(SpanKind.CLIENT).startSpan();
        Map<String, String> carrier = new HashMap<>();
        OTEL.getPropagators().getTextMapPropagator().inject(Context.root().with(client), carrier, Map::put);
        String body = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"make it loud\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        carrier.forEach(request::header);

        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        client.end();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> find("chat echo-7").isPresent()
                && find("attempt 1").isPresent());
        List<SpanData> spans = EXPORTER.getFinishedSpanItems();
        SpanData llm = find("chat echo-7").orElseThrow();
        assertThat(llm.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(llm.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.provider.name")))
                .isEqualTo("echo");
        assertThat(llm.getTraceId()).isEqualTo(client.getSpanContext().getTraceId());
        // its parent is one of Camel's spans, which in turn descend from the client's span
        SpanData parent = spans.stream().filter(s -> s.getSpanId().equals(llm.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("parent of the llm span not exported: " + names(spans)));
        assertThat(parent.getInstrumentationScopeInfo().getName()).isEqualTo("camel");
        assertThat(ancestors(parent, spans)).contains(client.getSpanContext().getSpanId());
        assertThat(find("attempt 1").orElseThrow().getParentSpanId()).isEqualTo(llm.getSpanId());
    }

    private static Optional<SpanData> find(String name) {
        return EXPORTER.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> s.getName() + "(" + s.getInstrumentationScopeInfo().getName() + ")").toList();
    }

    /** The span ids above a span, up to the first one not exported (the client's, ended in the test). */
    private static List<String> ancestors(SpanData span, List<SpanData> spans) {
        List<String> out = new java.util.ArrayList<>();
        String id = span.getParentSpanId();
        while (id != null && !id.equals(io.opentelemetry.api.trace.SpanId.getInvalid())) {
            out.add(id);
            String current = id;
            id = spans.stream().filter(s -> s.getSpanId().equals(current)).findFirst()
                    .map(SpanData::getParentSpanId).orElse(null);
        }
        return out;
    }
}
