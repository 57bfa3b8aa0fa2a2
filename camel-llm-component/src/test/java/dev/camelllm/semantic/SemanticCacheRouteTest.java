package dev.camelllm.semantic;

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
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.observability.LlmObservability;
import dev.camelllm.testsupport.CacheRoutes;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.testsupport.CacheRoutes.answer;
import static dev.camelllm.testsupport.CacheRoutes.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The semantic cache on llm: routes in front of an OpenAI-format fake, with the built-in embedding model: a
 * paraphrase is answered from the cache, an unrelated prompt, another system prompt or another gateway key
 * goes to the provider; a stream is replayed as a stream; a failing embedding endpoint leaves the call
 * uncached; a full cache evicts its least recently used answer; the exact cache answers first.
 */
@Timeout(120)
class SemanticCacheRouteTest extends CamelTestSupport {

    private static final String EMBED = "llm:e?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed";

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<ChatChunk> streamed = new CopyOnWriteArrayList<>();
    private ScriptedHttpServer upstream;
    private ScriptedHttpServer brokenEmbeddings;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new ScriptedHttpServer();
        brokenEmbeddings = new ScriptedHttpServer();
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
        brokenEmbeddings.close();
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
        start(EMBED, options);
    }

    private void start(String embedUri, String options) throws Exception {
        String uri = CacheRoutes.chatUri(upstream, "test-key-Sem4Qz8Lm", "&semanticCache=true"
                + (embedUri == null ? "" : "&semanticCacheEmbedUri=RAW(" + embedUri + ")") + options);
        context.addRoutes(CacheRoutes.routes(uri, streamed));
        context.start();
    }

    private Exchange ask(String text, String systemPrompt, String gatewayKey) {
        return ask(text, systemPrompt, gatewayKey, null);
    }

    private Exchange ask(String text, String systemPrompt, String gatewayKey, String cacheHeader) {
        return CacheRoutes.ask(template, text, systemPrompt, gatewayKey, cacheHeader);
    }

    private Exchange ask(String text) {
        return ask(text, null, null);
    }

    private static String body(Exchange e) {
        return e.getMessage().getBody(String.class);
    }

    private static Object kind(Exchange e) {
        return e.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND);
    }

    private double count(String name, String... tags) {
        return CacheRoutes.count(meters, name, tags);
    }




    @Test
    void aParaphraseIsAnsweredFromTheCacheAndAnUnrelatedPromptIsNot() throws Exception {
        start("");
        upstream.then(answer("Open Settings, then Security, then Reset password."), answer("Paris."));

        Exchange first = ask("How do I reset my password?");
        Exchange paraphrase = ask("How can I reset my password?");
        Exchange unrelated = ask("What is the capital of France?");

        assertThat(first.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(first.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY)).isNull(); // nothing to compare yet
        assertThat(body(paraphrase)).isEqualTo("Open Settings, then Security, then Reset password.");
        assertThat(paraphrase.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(kind(paraphrase)).isEqualTo("semantic");
        assertThat(paraphrase.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY, Double.class)).isBetween(0.92, 1.0);
        assertThat(paraphrase.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(0);
        assertThat(paraphrase.getMessage().getHeader(LlmConstants.COST)).isEqualTo(0.0);
        assertThat(body(unrelated)).isEqualTo("Paris.");
        assertThat(unrelated.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(unrelated.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY, Double.class)).isLessThan(0.92);
        assertThat(upstream.requests()).hasSize(2);
        assertThat(count(LlmMetrics.CACHE_LOOKUPS, LlmMetrics.CACHE, LlmMetrics.SEMANTIC, LlmMetrics.RESULT, "hit")).isEqualTo(1.0);
        assertThat(count(LlmMetrics.CACHE_LOOKUPS, LlmMetrics.CACHE, LlmMetrics.SEMANTIC, LlmMetrics.RESULT, "miss")).isEqualTo(2.0);
        assertThat(count(LlmMetrics.CACHE_STORES, LlmMetrics.CACHE, LlmMetrics.SEMANTIC)).isEqualTo(2.0);
    }

    @Test
    void anotherSystemPromptOrGatewayKeyIsAnotherScope() throws Exception {
        start("");
        upstream.then(answer("plain"), answer("as a pirate"), answer("for team b"));

        ask("How do I reset my password?", null, "team-a");
        Exchange pirate = ask("How can I reset my password?", "Answer like a pirate.", "team-a");
        Exchange teamB = ask("How can I reset my password?", null, "team-b");
        Exchange teamA = ask("How can I reset my password?", null, "team-a");

        assertThat(body(pirate)).isEqualTo("as a pirate");
        assertThat(pirate.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY)).isNull(); // no candidate in its scope
        assertThat(body(teamB)).isEqualTo("for team b");
        assertThat(body(teamA)).isEqualTo("plain");
        assertThat(kind(teamA)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void aStreamIsReplayedAsAStream() throws Exception {
        start("");
        upstream.then(streamOf("Open ", "Settings", "."));

        template.request("direct:stream", e -> e.getMessage().setBody("How do I reset my password?"));
        List<ChatChunk> live = List.copyOf(streamed);
        streamed.clear();
        Exchange replay = template.request("direct:stream", e -> e.getMessage().setBody("How can I reset my password?"));

        assertThat(replay.getException()).isNull();
        assertThat(kind(replay)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(live).filteredOn(c -> c instanceof ChatChunk.TextDelta t && !t.text().isEmpty()).hasSize(3);
        assertThat(streamed).isEqualTo(live);
        assertThat(streamed).contains(new ChatChunk.Finish(FinishReason.STOP, "stop"));
    }

    @Test
    void anEmbeddingThatFailsLeavesTheCallUncached() throws Exception {
        brokenEmbeddings.then(ex -> ex.respond(500, "application/json",
                "{\"error\":{\"message\":\"embedding backend down\",\"type\":\"server_error\"}}"));
        String broken = "llm:brokenEmbed?provider=openai&maxRetries=0&model=text-embedding-3-small&apiKey=k&baseUrl="
                + brokenEmbeddings.baseUrl() + "/v1&operation=embed";
        upstream.then(answer("one"), answer("two"));
        start(broken, "");

        Exchange first = ask("How do I reset my password?");
        Exchange second = ask("How can I reset my password?");

        assertThat(body(first)).isEqualTo("one");
        assertThat(body(second)).isEqualTo("two");
        assertThat(second.getMessage().getHeader(LlmConstants.CACHE_HIT)).isNull(); // never looked up
        assertThat(upstream.requests()).hasSize(2);
        assertThat(brokenEmbeddings.requests()).isNotEmpty();
        assertThat(count(LlmMetrics.SEMANTIC_CACHE_EMBED_FAILURES, LlmMetrics.PROFILE, "chat")).isEqualTo(2.0);
        assertThat(count(LlmMetrics.CACHE_STORES, LlmMetrics.CACHE, LlmMetrics.SEMANTIC)).isZero();
    }

    @Test
    void aFullCacheEvictsTheLeastRecentlyUsedAnswer() throws Exception {
        start("&semanticCacheMaxEntries=2");
        upstream.then(answer("password"), answer("weather"), answer("recipe"), answer("password again"));

        ask("How do I reset my password?");
        ask("What is the weather forecast for Paris tomorrow?");
        ask("Give me a recipe for pancakes.");            // evicts the password answer
        Exchange weather = ask("What's the weather forecast for Paris tomorrow?");
        Exchange password = ask("How can I reset my password?");

        assertThat(body(weather)).isEqualTo("weather");
        assertThat(kind(weather)).isEqualTo("semantic");
        assertThat(body(password)).isEqualTo("password again");
        assertThat(password.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(upstream.requests()).hasSize(4);
    }

    @Test
    void theExactCacheAnswersFirstWhenBothAreOn() throws Exception {
        start("&cache=true");
        upstream.then(answer("once"));

        ask("How do I reset my password?");
        Exchange same = ask("How do I reset my password?");
        Exchange paraphrase = ask("How can I reset my password?");

        assertThat(kind(same)).isEqualTo("exact");
        assertThat(same.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY)).isNull(); // not embedded at all
        assertThat(kind(paraphrase)).isEqualTo("semantic");
        assertThat(body(paraphrase)).isEqualTo("once");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(count(LlmMetrics.CACHE_LOOKUPS, LlmMetrics.CACHE, LlmMetrics.EXACT, LlmMetrics.RESULT, "hit")).isEqualTo(1.0);
    }

    @Test
    void theBuiltInModelEmbedsByDefault() throws Exception {
        start(null, "");
        upstream.then(answer("Settings, Security."));

        ask("How do I reset my password?");
        Exchange paraphrase = ask("How can I reset my password?");

        assertThat(kind(paraphrase)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void theCacheHeaderBypassesOrRefreshesTheSemanticCache() throws Exception {
        start("");
        upstream.then(answer("old"), answer("bypassed"), answer("new"));

        ask("How do I reset my password?");
        Exchange bypassed = ask("How can I reset my password?", null, null, "no-store");
        Exchange refreshed = ask("How can I reset my password?", null, null, "no-cache");
        Exchange after = ask("How can I reset my password?");

        assertThat(body(bypassed)).isEqualTo("bypassed");
        assertThat(bypassed.getMessage().getHeader(LlmConstants.CACHE_HIT)).isNull();
        assertThat(body(refreshed)).isEqualTo("new");
        // no-cache stored its fresh answer: the closest entry now is that very prompt's
        assertThat(body(after)).isEqualTo("new");
        assertThat(after.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY, Double.class)).isGreaterThan(0.999);
        assertThat(kind(after)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(3);
        assertThat(count(LlmMetrics.CACHE_STORES, LlmMetrics.CACHE, LlmMetrics.SEMANTIC)).isEqualTo(2.0);
    }

    @Test
    void aThresholdOutsideZeroToOneIsRefusedByName() {
        assertThatThrownBy(() -> start("&semanticCacheThreshold=1.5"))
                .hasStackTraceContaining("semanticCacheThreshold").hasStackTraceContaining("at most 1");
    }
}
