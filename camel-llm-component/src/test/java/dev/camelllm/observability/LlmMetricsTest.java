package dev.camelllm.observability;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.resilience.LocalLimitException;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ChatStream;

import static dev.camelllm.observability.LlmMetrics.*;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/** Meter values after known requests against a loopback fake, in the MeterRegistry bound in the Camel registry. */
@Timeout(20)
class LlmMetricsTest extends ObservabilityTestSupport {

    private void routes(String... uris) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:r" + i).to(uris[i]);
                }
            }
        });
        context.start();
    }

    private Exchange send(int route, String body) {
        return template.request("direct:r" + route, e -> e.getMessage().setBody(body));
    }

    @Test
    void usesTheRegistryBoundInTheCamelRegistry() throws Exception {
        routes(openAi("chat", "gpt-4o-mini", null));
        assertThat(llm().getMeterRegistry()).isSameAs(meters);
    }

    @Test
    void countsRequestsAndTokensByTypeExactly() throws Exception {
        routes(openAi("chat", "gpt-4o-mini", null));
        upstream.then(answer("gpt-4o-mini-2024-07-18", "one", 19, 10, 4), answer("gpt-4o-mini-2024-07-18", "two", 7, 3, 0));

        assertThat(send(0, "Hello").getException()).isNull();
        assertThat(send(0, "Again").getException()).isNull();

        String[] model = { PROVIDER, "openai", REQUEST_MODEL, "gpt-4o-mini", RESPONSE_MODEL, "gpt-4o-mini-2024-07-18",
            PROFILE, "chat", OPERATION, "chat" };
        assertThat(counter(REQUESTS, with(model, OUTCOME, "ok", ERROR_TYPE, NONE))).isEqualTo(2.0);
        assertThat(summary(TOKEN_USAGE, with(model, TOKEN_TYPE, "input")).totalAmount()).isEqualTo(26.0);
        assertThat(summary(TOKEN_USAGE, with(model, TOKEN_TYPE, "output")).totalAmount()).isEqualTo(13.0);
        assertThat(summary(TOKEN_USAGE, with(model, TOKEN_TYPE, "cache_read")).totalAmount()).isEqualTo(4.0);
        assertThat(summary(TOKEN_USAGE, with(model, TOKEN_TYPE, "cache_read")).count()).isEqualTo(1);
        assertThat(summary(TOKEN_USAGE, TOKEN_TYPE, "cache_write")).isNull();
        assertThat(timer(OPERATION_DURATION, with(model, OUTCOME, "ok")).count()).isEqualTo(2);
        assertThat(summary(TOKENS_PER_SECOND, model)).isNotNull();
        // a non-streaming call has no time to first token
        assertThat(timer(TIME_TO_FIRST_TOKEN)).isNull();
    }

    @Test
    void countsAFailedRequestByItsErrorKind() throws Exception {
        routes(openAi("chat", "gpt-4o-mini", null));
        upstream.then(error(400, "invalid_request_error", "Invalid 'messages'"));

        assertThat(send(0, "Hello").getException()).isNotNull();

        assertThat(counter(REQUESTS, PROFILE, "chat", OUTCOME, "error", ERROR_TYPE, "INVALID_REQUEST",
                RESPONSE_MODEL, UNKNOWN)).isEqualTo(1.0);
        assertThat(counter(REQUESTS, OUTCOME, "ok")).isZero();
        assertThat(meters.find(TOKEN_USAGE).summaries()).isEmpty();
    }

    @Test
    void countsARetry() throws Exception {
        routes(openAi("chat", "gpt-4o-mini", "maxRetries=2&retryInitialDelay=1&retryMaxDelay=5"));
        upstream.then(error(500, "server_error", "boom"), answer("gpt-4o-mini", "ok", 5, 2, 0));

        Exchange out = send(0, "Hello");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(2);
        assertThat(counter(RETRIES, PROFILE, "chat")).isEqualTo(1.0);
        assertThat(counter(REQUESTS, PROFILE, "chat", OUTCOME, "ok")).isEqualTo(1.0);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void countsAFallback() throws Exception {
        llm().getProfiles().put("backup", backupProfile());
        routes(openAi("primary", "gpt-4o", "maxRetries=0&fallbacks=backup"));
        upstream.then(error(503, "server_error", "down"), answer("gpt-4o-mini", "from backup", 5, 2, 0));

        Exchange out = send(0, "Hello");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(counter(FALLBACKS, PROFILE, "primary", FALLBACK, "backup")).isEqualTo(1.0);
        // the request counts for the profile the route called, with the model that answered
        assertThat(counter(REQUESTS, PROFILE, "primary", OUTCOME, "ok", REQUEST_MODEL, "gpt-4o-mini")).isEqualTo(1.0);
        assertThat(counter(RETRIES, PROFILE, "primary")).isZero();
    }

    private dev.camelllm.component.LlmConfiguration backupProfile() {
        dev.camelllm.component.LlmConfiguration c = new dev.camelllm.component.LlmConfiguration();
        c.setProvider("openai");
        c.setBaseUrl(upstream.baseUrl() + "/v1");
        c.setApiKey(KEY);
        c.setModel("gpt-4o-mini");
        c.setMaxRetries(0);
        return c;
    }

    @Test
    void countsARateLimitRejection() throws Exception {
        routes(openAi("limited", "gpt-4o-mini", "maxRetries=0&rateLimitPerMinute=1&rateLimitMode=fail&resilienceGroup=tight"));
        upstream.then(answer("gpt-4o-mini", "ok", 5, 2, 0));

        assertThat(send(0, "one").getException()).isNull();
        Exchange refused = send(0, "two");

        assertThat(refused.getException()).isInstanceOf(LocalLimitException.class);
        assertThat(counter(LIMIT_REJECTIONS, GROUP, "tight", LIMIT, "rate_limit")).isEqualTo(1.0);
        assertThat(counter(REQUESTS, PROFILE, "limited", OUTCOME, "error", ERROR_TYPE, "RATE_LIMIT")).isEqualTo(1.0);
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void recordsTheTimeToFirstTokenOfAStream() throws Exception {
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"content\":\"Hel\"}", null));
            ex.send(chunk("{\"content\":\"lo\"}", null));
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split").to(openAi("streamer", "gpt-4o-mini", "maxRetries=0&stream=true"))
                        .split(body()).streaming().to("mock:tokens");
            }
        });
        context.start();

        Exchange out = template.request("direct:split", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        long ttft = out.getMessage().getHeader(LlmConstants.TIME_TO_FIRST_TOKEN_MS, Long.class);
        Timer t = timer(TIME_TO_FIRST_TOKEN, PROFILE, "streamer", PROVIDER, "openai");
        assertThat(t.count()).isEqualTo(1);
        assertThat((long) t.totalTime(MILLISECONDS)).isEqualTo(ttft);
        assertThat(summary(TOKEN_USAGE, PROFILE, "streamer", TOKEN_TYPE, "output").totalAmount()).isEqualTo(2.0);
        assertThat(counter(REQUESTS, PROFILE, "streamer", OUTCOME, "ok")).isEqualTo(1.0);
    }

    @Test
    void countsAStreamCutAfterItsFirstTokenAsOneFailedRequest() throws Exception {
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"content\":\"Hel\"}", null));
            ex.cut();
        });
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split").to(openAi("streamer", "gpt-4o-mini", "maxRetries=0&stream=true"))
                        .split(body()).streaming().to("mock:tokens");
            }
        });
        context.start();

        Exchange out = template.request("direct:split", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNotNull();
        assertThat(counter(REQUESTS, PROFILE, "streamer", OUTCOME, "error", ERROR_TYPE, "STREAM")).isEqualTo(1.0);
        assertThat(meters.find(REQUESTS).counters()).hasSize(1);
        assertThat(timer(TIME_TO_FIRST_TOKEN)).isNull();
    }

    @Test
    void countsAStreamTheRouteNeverReadAsCancelled() throws Exception {
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"content\":\"Hel\"}", null));
            ex.send(chunk("{\"content\":\"lo\"}", null));
        });
        routes(openAi("streamer", "gpt-4o-mini", "maxRetries=0&stream=true"));

        Exchange out = send(0, "Hello");

        assertThat(out.getException()).isNull();
        assertThat(counter(REQUESTS, PROFILE, "streamer", OUTCOME, "error", ERROR_TYPE, "CANCELLED")).isEqualTo(1.0);
        assertThat(meters.find(REQUESTS).counters()).hasSize(1);
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    @Test
    void aBreakerHasAStateGauge() throws Exception {
        routes(openAi("guarded", "gpt-4o-mini", "maxRetries=0&circuitBreaker=true&resilienceGroup=guarded"));

        assertThat(meters.find(CIRCUIT_BREAKER_STATE).tags(GROUP, "guarded", STATE, "closed").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find(CIRCUIT_BREAKER_STATE).tags(GROUP, "guarded", STATE, "open").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void aProviderWithAQueueFeedsTheQueueDepthGauge() throws Exception {
        AtomicInteger waiting = new AtomicInteger(3);
        llm().registerProvider("queued", ChatProviderFactory.of("queued", (config, ctx) -> new QueuedProvider(waiting)));
        routes("llm:local?provider=queued&model=tiny");

        Gauge depth = meters.find(QUEUE_DEPTH).tags(PROVIDER, "queued", REQUEST_MODEL, "tiny").gauge();
        assertThat(depth.value()).isEqualTo(3.0);
        waiting.set(0);
        assertThat(depth.value()).isEqualTo(0.0);

        context.getRouteController().stopRoute("route1");
        context.stop();
        assertThat(meters.find(QUEUE_DEPTH).gauges()).isEmpty();
    }

    /** A provider of this test with its own queue, as a local model has. */
    private record QueuedProvider(AtomicInteger waiting) implements ChatProvider {
        @Override
        public String name() {
            return "queued";
        }

        @Override
        public String model() {
            return "tiny";
        }

        @Override
        public ChatResponse chat(ChatRequest request, CallContext call) {
            return new ChatResponse(ChatMessage.assistant("ok"), FinishReason.STOP, "stop", new Usage(1, 1), name(), model(), -1, 1);
        }

        @Override
        public ChatStream stream(ChatRequest request, CallContext call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int queueDepth() {
            return waiting.get();
        }
    }

    static String[] with(String[] base, String... more) {
        String[] out = new String[base.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }
}
