package dev.camelllm.component;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.semantic.Vectors;
import dev.camelllm.testsupport.CacheInstance;
import dev.camelllm.testsupport.CacheRoutes;
import dev.camelllm.testsupport.TwoInstancesOnRedis;

import static dev.camelllm.testsupport.CacheRoutes.answer;
import static dev.camelllm.testsupport.CacheRoutes.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The semantic cache in the shared state store: two instances (two CamelContexts, each its own component,
 * Redis connection and built-in embedding model) in front of one OpenAI-format fake and one real
 * redis-server. A paraphrase sent to one is answered from what the other cached (the fake's request count
 * and the hit headers and meters prove it), streams replayed as streams; another system prompt or gateway
 * key is another scope; a scope keeps only its newest semanticCacheCandidates answers; a corrupt entry and
 * a stopped server are misses, never failed calls.
 */
@Timeout(120)
class SharedSemanticCacheTest extends TwoInstancesOnRedis {

    private static final String KEY = "test-key-SharedSem5Kd";
    private static final String EMBED = "llm:e?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed";
    private static final String ASKED = "How do I reset my password?";
    private static final String PARAPHRASE = "How can I reset my password?";

    private void twoInstances(String options) throws Exception {
        String uri = CacheRoutes.chatUri(upstream, KEY, "&semanticCache=true&semanticCacheEmbedUri=RAW(" + EMBED + ")" + options);
        startInstances(uri);
    }

    /** The candidate sets' id keys (one per scope). */
    private List<String> scopes() {
        return redis.keys("camel-llm:candidates:*:ids");
    }

    private List<String> ids(String scopeKey) {
        return redis.list("ZRANGE " + scopeKey + " 0 -1");
    }

    /** Writes to Redis are not waited for by the call: they land just after the answer. */
    private void awaitEntries(int scopes, int entries) {
        await().atMost(Duration.ofSeconds(5)).until(() -> scopes().size() == scopes
                && scopes().stream().mapToInt(k -> ids(k).size()).sum() == entries);
    }

    private static double semantic(CacheInstance i, String result) {
        return i.count(LlmMetrics.CACHE_LOOKUPS, LlmMetrics.CACHE, LlmMetrics.SEMANTIC, LlmMetrics.RESULT, result);
    }

    private static double failures(CacheInstance i, String operation, String reason) {
        return i.count(LlmMetrics.CACHE_FAILURES, LlmMetrics.CACHE, LlmMetrics.SEMANTIC, LlmMetrics.CACHE_OPERATION,
                operation, LlmMetrics.REASON, reason);
    }

    private static String body(Exchange e) {
        return e.getMessage().getBody(String.class);
    }

    @Test
    void aParaphraseOnOneInstanceIsAnsweredFromWhatTheOtherCached() throws Exception {
        twoInstances("");
        upstream.then(answer("Open Settings, then Security, then Reset password."), answer("never asked"));

        Exchange first = a.ask(ASKED);
        awaitEntries(1, 1);
        Exchange onB = b.ask(PARAPHRASE);

        assertThat(first.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(body(onB)).isEqualTo("Open Settings, then Security, then Reset password.");
        assertThat(onB.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(onB.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(onB.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY, Double.class)).isBetween(0.92, 1.0);
        assertThat(onB.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(0);
        assertThat(upstream.requests()).hasSize(1);
        assertThat(semantic(b, "hit")).isEqualTo(1);
        // what Redis holds: the embedding as base64 of 384 little-endian floats, expiring with the TTL
        String scope = scopes().get(0);
        assertThat(scope).matches("camel-llm:candidates:\\{semantic:chat:[0-9a-f]{64}}:ids");
        String id = ids(scope).get(0);
        String entries = scope.replace(":ids", ":entries");
        assertThat(Vectors.decode(redis.command("HGET " + entries + " e:" + id))).hasSize(384);
        long pttl = Long.parseLong(redis.command("PTTL " + entries).substring(1));
        assertThat(pttl).isBetween(1L, 3_600_000L);
    }

    @Test
    void anotherSystemPromptOrGatewayKeyIsAnotherScope() throws Exception {
        twoInstances("");
        upstream.then(answer("plain"), answer("as a pirate"), answer("for team b"));

        a.ask(ASKED, null, "team-a");
        awaitEntries(1, 1);
        Exchange pirate = b.ask(PARAPHRASE, "Answer like a pirate.", "team-a");
        Exchange teamB = b.ask(PARAPHRASE, null, "team-b");
        Exchange teamA = b.ask(PARAPHRASE, null, "team-a");

        assertThat(body(pirate)).isEqualTo("as a pirate");
        assertThat(pirate.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(pirate.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY)).isNull(); // no candidate in its scope
        assertThat(body(teamB)).isEqualTo("for team b");
        assertThat(teamB.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(body(teamA)).isEqualTo("plain");
        assertThat(teamA.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(3);
        awaitEntries(3, 3);
    }

    @Test
    void aStreamCachedByOneInstanceIsReplayedAsAStreamOnTheOther() throws Exception {
        twoInstances("");
        upstream.then(streamOf("Open ", "Settings", "."), streamOf("never", "used"));

        List<ChatChunk> live = a.stream(ASKED);
        awaitEntries(1, 1);
        CacheInstance.Streamed replay = b.streamExchange(PARAPHRASE);

        assertThat(replay.exchange().getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(replay.chunks()).isEqualTo(live);
        assertThat(replay.chunks()).filteredOn(c -> c instanceof ChatChunk.TextDelta)
                .extracting(c -> ((ChatChunk.TextDelta) c).text()).containsExactly("Open ", "Settings", ".");
        assertThat(replay.chunks()).contains(new ChatChunk.Finish(FinishReason.STOP, "stop"));
    }

    @Test
    void aScopeKeepsItsNewestCandidatesOnly() throws Exception {
        twoInstances("&semanticCacheCandidates=2");
        upstream.then(answer("password"), answer("weather"), answer("recipe"), answer("password again"));

        a.ask(ASKED);
        a.ask("What is the weather forecast for Paris tomorrow?");
        awaitEntries(1, 2);
        List<String> beforeThird = ids(scopes().get(0));
        a.ask("Give me a recipe for pancakes.");            // drops the password answer, the oldest
        await().atMost(Duration.ofSeconds(5)).until(() -> !ids(scopes().get(0)).equals(beforeThird));
        // the hit first: a miss caches its own answer, which would drop the weather answer in turn
        Exchange weather = b.ask("What's the weather forecast for Paris tomorrow?");
        Exchange password = b.ask(PARAPHRASE);

        assertThat(ids(scopes().get(0))).hasSize(2);
        assertThat(body(password)).isEqualTo("password again");
        assertThat(password.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(body(weather)).isEqualTo("weather");
        assertThat(weather.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(upstream.requests()).hasSize(4);
        assertThat(semantic(b, "hit")).isEqualTo(1);
    }

    @Test
    void aCorruptEmbeddingOrAnswerInRedisIsAMissNotAnError() throws Exception {
        twoInstances("");
        upstream.then(answer("real"), answer("asked again"), answer("and again"));
        a.ask(ASKED);
        awaitEntries(1, 1);
        String scope = scopes().get(0);
        String id = ids(scope).get(0);
        String entries = scope.replace(":ids", ":entries");

        assertThat(redis.command("HSET " + entries + " p:" + id + " not-json-at-all")).isEqualTo(":0");
        Exchange badAnswer = b.ask(PARAPHRASE);
        awaitEntries(1, 2); // b cached its own answer to the paraphrase
        for (String each : ids(scope)) {
            assertThat(redis.command("HSET " + entries + " e:" + each + " !!not-base64!!")).isEqualTo(":0");
        }
        Exchange badEmbedding = b.ask(PARAPHRASE);

        assertThat(body(badAnswer)).isEqualTo("asked again");
        assertThat(badAnswer.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(body(badEmbedding)).isEqualTo("and again");
        assertThat(badEmbedding.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY)).isNull(); // nothing comparable
        assertThat(failures(b, LlmMetrics.GET, LlmMetrics.CORRUPT)).isEqualTo(2);
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void callsStillAnswerWhileRedisIsStopped() throws Exception {
        twoInstances("");
        upstream.then(answer("before the outage"), answer("during the outage"));
        a.ask(ASKED);
        awaitEntries(1, 1);
        redis.stop();

        // fail-closed is the limits' mode; the cache is optional: a miss, within a bounded time
        Exchange during = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> b.ask(PARAPHRASE));

        assertThat(body(during)).isEqualTo("during the outage");
        assertThat(during.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(failures(b, LlmMetrics.GET, LlmMetrics.UNAVAILABLE)).isEqualTo(1);
        assertThat(failures(b, LlmMetrics.PUT, LlmMetrics.UNAVAILABLE)).isEqualTo(1);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void semanticCacheStoreMemoryKeepsAnswersInTheProcessEvenWithASharedStateStore() throws Exception {
        twoInstances("&semanticCacheStore=memory");
        upstream.then(answer("local one"), answer("local two"));

        a.ask(ASKED);
        Exchange aAgain = a.ask(PARAPHRASE);
        Exchange onB = b.ask(PARAPHRASE);

        assertThat(aAgain.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(body(onB)).isEqualTo("local two");
        assertThat(scopes()).isEmpty();
        assertThat(upstream.requests()).hasSize(2);
    }
}
