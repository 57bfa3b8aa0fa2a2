package dev.camelllm.cache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.observability.LlmObservability;
import dev.camelllm.observability.ModelPrice;
import dev.camelllm.testsupport.CacheRoutes;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.testsupport.CacheRoutes.answer;
import static dev.camelllm.testsupport.CacheRoutes.chunk;
import static dev.camelllm.testsupport.CacheRoutes.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact response cache on llm: routes in front of an OpenAI-format fake: a repeated request is answered
 * without the provider, a different one is not; a stream is cached once it ended whole and replayed chunk
 * by chunk; a failed or cut answer is never cached; the CamelLlmCache header and gateway keys are honoured.
 */
@Timeout(30)
class ResponseCacheRouteTest extends CamelTestSupport {

    private static final String KEY = "test-key-Cache4Qz8Lm";

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<ChatChunk> streamed = new CopyOnWriteArrayList<>();
    private ScriptedHttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new ScriptedHttpServer();
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        ctx.getRegistry().bind(LlmObservability.CAMEL_METRICS_REGISTRY, meters);
        ctx.addComponent("llm", new LlmComponent());
        return ctx;
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    private void start(String options) throws Exception {
        String uri = CacheRoutes.chatUri(upstream, KEY, options);
        context.getComponent("llm", LlmComponent.class).getPrices().put("gpt-4o-mini", new ModelPrice(0.15, 0.6, 0.075, null));
        context.addRoutes(CacheRoutes.routes(uri, streamed));
        context.start();
    }

    private Exchange ask(String text, String cacheHeader, String gatewayKey) {
        return template.request("direct:in", e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader("X-Unrelated", System.nanoTime()); // not part of the key
            if (cacheHeader != null) {
                e.getMessage().setHeader(LlmConstants.CACHE, cacheHeader);
            }
            if (gatewayKey != null) {
                e.setProperty(LlmConstants.GATEWAY_KEY_PROPERTY, gatewayKey);
            }
        });
    }

    private Exchange ask(String text) {
        return ask(text, null, null);
    }

    private List<ChatChunk> stream(String text) {
        streamed.clear();
        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody(text));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.CACHE_HIT)).isNotNull();
        return List.copyOf(streamed);
    }

    private double lookups(String result) {
        return CacheRoutes.count(meters, LlmMetrics.CACHE_LOOKUPS, LlmMetrics.PROFILE, "chat", LlmMetrics.RESULT, result);
    }




    @Test
    void theSameRequestIsAnsweredFromTheCacheAndADifferentOneIsNot() throws Exception {
        start("&cache=true");
        upstream.then(answer("Hello!"), answer("Bye!"));

        Exchange first = ask("Hello");
        Exchange again = ask("Hello");
        Exchange other = ask("Bye");

        assertThat(first.getMessage().getBody(String.class)).isEqualTo("Hello!");
        assertThat(first.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getBody(String.class)).isEqualTo("Hello!");
        assertThat(again.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(again.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(0);
        // the answer's own usage, at no cost: no provider was called
        assertThat(again.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(3L);
        assertThat(again.getMessage().getHeader(LlmConstants.COST)).isEqualTo(0.0);
        assertThat(first.getMessage().getHeader(LlmConstants.COST, Double.class)).isPositive();
        assertThat(other.getMessage().getBody(String.class)).isEqualTo("Bye!");
        assertThat(other.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(upstream.requests()).hasSize(2);
        assertThat(lookups("hit")).isEqualTo(1.0);
        assertThat(lookups("miss")).isEqualTo(2.0);
        assertThat(meters.find(LlmMetrics.CACHE_STORES).counter().count()).isEqualTo(2.0);
    }

    @Test
    void aParameterIsPartOfTheKey() throws Exception {
        start("&cache=true");
        upstream.then(answer("cold"), answer("warm"));

        ask("Hello");
        Exchange warmer = template.request("direct:in", e -> {
            e.getMessage().setBody("Hello");
            e.getMessage().setHeader(LlmConstants.TEMPERATURE, 1.5);
        });

        assertThat(warmer.getMessage().getBody(String.class)).isEqualTo("warm");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aStreamIsCachedWholeAndReplayedChunkByChunk() throws Exception {
        start("&cache=true");
        upstream.then(streamOf("Hel", "lo", " there"));

        List<ChatChunk> live = stream("Hello");
        List<ChatChunk> replayed = stream("Hello");
        Exchange plain = ask("Hello");

        assertThat(upstream.requests()).hasSize(1);
        assertThat(live).filteredOn(c -> c instanceof ChatChunk.TextDelta t && !t.text().isEmpty())
                .extracting(c -> ((ChatChunk.TextDelta) c).text()).containsExactly("Hel", "lo", " there");
        assertThat(replayed).isEqualTo(live);
        assertThat(replayed).contains(new ChatChunk.Finish(FinishReason.STOP, "stop"), new ChatChunk.UsageUpdate(new Usage(9, 3)));
        // a plain request is answered from the streamed entry too
        assertThat(plain.getMessage().getBody(String.class)).isEqualTo("Hello there");
        assertThat(plain.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(plain.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(lookups("hit")).isEqualTo(2.0);
    }

    @Test
    void aCutStreamAndAFailedAnswerAreNeverCached() throws Exception {
        start("&cache=true");
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"content\":\"Hel\"}", null));
            ex.cut();
        }, streamOf("Hello"));
        upstream.then(ex -> ex.respond(500, "application/json", "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"),
                answer("fine"));

        Exchange cut = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));
        assertThat(cut.getException()).isNotNull();
        assertThat(stream("Hi")).contains(new ChatChunk.TextDelta("Hello"));
        assertThat(ask("Again").getException()).isNotNull();
        assertThat(ask("Again").getMessage().getBody(String.class)).isEqualTo("fine");

        assertThat(upstream.requests()).hasSize(4);
        assertThat(meters.find(LlmMetrics.CACHE_STORES).counter().count()).isEqualTo(2.0);
    }

    @Test
    void theHeaderBypassesRefreshesOrTurnsTheCacheOn() throws Exception {
        start(""); // the profile's cache is off
        upstream.then(answer("one"), answer("two"), answer("three"), answer("four"));

        assertThat(ask("Hello").getMessage().getHeader(LlmConstants.CACHE_HIT)).isNull(); // not looked up
        assertThat(ask("Hello", "true", null).getMessage().getBody(String.class)).isEqualTo("two");
        assertThat(ask("Hello", "true", null).getMessage().getBody(String.class)).isEqualTo("two"); // hit
        assertThat(ask("Hello", "no-store", null).getMessage().getBody(String.class)).isEqualTo("three");
        assertThat(ask("Hello", "true", null).getMessage().getBody(String.class)).isEqualTo("two"); // no-store left it
        assertThat(ask("Hello", "false", null).getMessage().getBody(String.class)).isEqualTo("four");

        assertThat(upstream.requests()).hasSize(4);
        Exchange bad = ask("Hello", "sometimes", null);
        assertThat(bad.getException()).isInstanceOf(LlmInvalidRequestException.class)
                .hasMessageContaining(LlmConstants.CACHE).hasMessageContaining("no-store");
    }

    @Test
    void noCacheAsksTheProviderAndKeepsTheFreshAnswer() throws Exception {
        start("&cache=true");
        upstream.then(answer("old"), answer("new"));

        ask("Hello");
        assertThat(ask("Hello", "no-cache", null).getMessage().getBody(String.class)).isEqualTo("new");
        assertThat(ask("Hello").getMessage().getBody(String.class)).isEqualTo("new");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void gatewayKeysDoNotShareAnswersUnlessConfigured() throws Exception {
        start("&cache=true");
        upstream.then(answer("for a"), answer("for b"), answer("for no key"));

        assertThat(ask("Hello", null, "team-a").getMessage().getBody(String.class)).isEqualTo("for a");
        assertThat(ask("Hello", null, "team-b").getMessage().getBody(String.class)).isEqualTo("for b");
        assertThat(ask("Hello", null, "team-a").getMessage().getBody(String.class)).isEqualTo("for a");
        assertThat(ask("Hello", null, null).getMessage().getBody(String.class)).isEqualTo("for no key");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void sharedAcrossKeysOneKeysAnswerServesAnother() throws Exception {
        start("&cache=true&cacheSharedAcrossKeys=true");
        upstream.then(answer("shared"));

        assertThat(ask("Hello", null, "team-a").getMessage().getBody(String.class)).isEqualTo("shared");
        Exchange b = ask("Hello", null, "team-b");

        assertThat(b.getMessage().getBody(String.class)).isEqualTo("shared");
        assertThat(b.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(upstream.requests()).hasSize(1);
    }
}
