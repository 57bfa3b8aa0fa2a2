package dev.camelllm.observability;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.testsupport.InMemoryTracing;

import static dev.camelllm.observability.tracing.GenAiAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The span of an operation=embed call ("embeddings {model}", CLIENT) and its attempts, against an OpenAI-format
 * {@code POST /v1/embeddings} fake on loopback, with an OpenTelemetry SDK bound in the registry.
 */
@Timeout(30)
class EmbeddingTracingTest extends ObservabilityTestSupport {

    @RegisterExtension
    final InMemoryTracing tracing = new InMemoryTracing();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        tracing.bindTo(ctx);
        return ctx;
    }

    private Exchange embed(String more, Object body) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:embed").to(openAi("embed", "text-embedding-3-small", "operation=embed&" + more));
            }
        });
        context.start();
        return template.request("direct:embed", e -> e.getMessage().setBody(body));
    }


    @Test
    void anEmbeddingIsOneClientSpanWithItsAttemptsUnderIt() throws Exception {
        upstream.then(error(500, "server_error", "boom"), ex -> ex.respond(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,0.5]}],"
                        + "\"model\":\"text-embedding-3-small-v2\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}"));

        Exchange out = embed("maxRetries=1&retryInitialDelay=1&retryMaxDelay=5", "some text");

        assertThat(out.getException()).isNull();
        List<SpanData> spans = tracing.spans(3);
        SpanData call = InMemoryTracing.named(spans, "embeddings text-embedding-3-small");
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getAttributes().get(OPERATION_NAME)).isEqualTo("embeddings");
        assertThat(call.getAttributes().get(PROVIDER_NAME)).isEqualTo("openai");
        assertThat(call.getAttributes().get(PROFILE)).isEqualTo("embed");
        assertThat(call.getAttributes().get(REQUEST_MODEL)).isEqualTo("text-embedding-3-small");
        assertThat(call.getAttributes().get(RESPONSE_MODEL)).isEqualTo("text-embedding-3-small-v2");
        assertThat(call.getAttributes().get(USAGE_INPUT_TOKENS)).isEqualTo(7L);
        assertThat(call.getAttributes().get(ATTEMPTS)).isEqualTo(2L);
        assertThat(call.getAttributes().get(USAGE_OUTPUT_TOKENS)).isNull();
        // the inputs are never span content
        assertThat(call.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("some text"));
        SpanData first = InMemoryTracing.named(spans, "attempt 1");
        SpanData second = InMemoryTracing.named(spans, "attempt 2");
        assertThat(first.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(second.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(second.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        assertThat(spans).noneMatch(s -> s.getName().startsWith("chat"));
    }

    @Test
    void aFailedEmbeddingEndsItsSpanWithTheErrorKindAndNoKey() throws Exception {
        upstream.then(error(401, "invalid_request_error", "Incorrect API key provided: " + KEY));

        Exchange out = embed("maxRetries=0", "text");

        assertThat(out.getException()).isNotNull();
        SpanData call = InMemoryTracing.named(tracing.spans(2), "embeddings text-embedding-3-small");
        assertThat(call.getAttributes().get(ERROR_TYPE)).isEqualTo("AUTHENTICATION");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(call.getStatus().getDescription()).doesNotContain(KEY);
        assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("embeddings");
    }
}
