package dev.camelllm.component;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Usage;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.testsupport.CacheInstance;
import dev.camelllm.testsupport.CacheRoutes;
import dev.camelllm.testsupport.TwoInstancesOnRedis;

import static dev.camelllm.testsupport.CacheRoutes.answer;
import static dev.camelllm.testsupport.CacheRoutes.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The exact response cache in the shared state store: two instances (two CamelContexts, each its own
 * component and Redis connection) in front of one OpenAI-format fake and one real redis-server. What one
 * caches the other answers from (the fake's request count proves it), streams included; entries expire with
 * the TTL; a corrupt or oversized entry and a stopped server are misses, never failed calls; gateway keys
 * stay apart.
 */
@Timeout(60)
class SharedResponseCacheTest extends TwoInstancesOnRedis {

    private static final String KEY = "test-key-SharedCache7Rq";

    private void twoInstances(String options) throws Exception {
        String uri = CacheRoutes.chatUri(upstream, KEY, "&cache=true" + options);
        startInstances(uri);
    }

    private static double lookups(CacheInstance i, String result) {
        return i.count(LlmMetrics.CACHE_LOOKUPS, LlmMetrics.CACHE, LlmMetrics.EXACT, LlmMetrics.RESULT, result);
    }

    private static double failures(CacheInstance i, String operation, String reason) {
        return i.count(LlmMetrics.CACHE_FAILURES, LlmMetrics.PROFILE, "chat", LlmMetrics.CACHE_OPERATION, operation,
                LlmMetrics.REASON, reason);
    }



    private List<String> cacheKeys() {
        return redis.keys("camel-llm:cache:*");
    }

    /** Writes to Redis are not waited for by the call: the entry lands just after the answer. */
    private void awaitCached(int keys) {
        await().atMost(Duration.ofSeconds(5)).until(() -> cacheKeys().size() == keys);
    }

    @Test
    void anAnswerCachedByOneInstanceIsAHitOnTheOther() throws Exception {
        twoInstances("");
        upstream.then(answer("Hello from upstream"), answer("Second upstream answer"));

        Exchange first = a.ask("Hello");
        awaitCached(1);
        Exchange onB = b.ask("Hello");

        assertThat(first.getMessage().getBody(String.class)).isEqualTo("Hello from upstream");
        assertThat(first.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(onB.getMessage().getBody(String.class)).isEqualTo("Hello from upstream");
        assertThat(onB.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(onB.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(lookups(b, "hit")).isEqualTo(1);
        assertThat(cacheKeys()).hasSize(1).allSatisfy(k -> assertThat(k).matches("camel-llm:cache:chat:[0-9a-f]{64}"));
        // the key expires with the TTL (one hour by default)
        long pttl = Long.parseLong(redis.command("PTTL " + cacheKeys().get(0)).substring(1));
        assertThat(pttl).isBetween(1L, 3_600_000L);
    }

    @Test
    void aStreamCachedByOneInstanceIsReplayedChunkByChunkOnTheOther() throws Exception {
        twoInstances("");
        upstream.then(streamOf("Hel", "lo", " there"), streamOf("never", "used"));

        List<ChatChunk> live = a.stream("Stream please");
        // the stream is cached once it has ended whole: the entry may land just after the last chunk
        await().atMost(Duration.ofSeconds(5)).until(() -> cacheKeys().size() == 1);
        List<ChatChunk> replayed = b.stream("Stream please");

        assertThat(upstream.requests()).hasSize(1);
        assertThat(lookups(b, "hit")).isEqualTo(1);
        assertThat(replayed).isEqualTo(live);
        assertThat(replayed).filteredOn(c -> c instanceof ChatChunk.TextDelta).extracting(c -> ((ChatChunk.TextDelta) c).text())
                .containsExactly("Hel", "lo", " there");
        assertThat(replayed).contains(new ChatChunk.UsageUpdate(new Usage(9, 3)));
        assertThat(replayed.get(replayed.size() - 1)).isInstanceOfSatisfying(ChatChunk.Finish.class,
                f -> assertThat(f.reason()).isEqualTo(FinishReason.STOP));
    }

    @Test
    void anEntryExpiresWithTheCacheTtl() throws Exception {
        twoInstances("&cacheTtl=400");
        upstream.then(answer("Fresh one"), answer("Fresh two"));

        a.ask("Expiring");
        awaitCached(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> cacheKeys().isEmpty());
        Exchange later = b.ask("Expiring");

        assertThat(later.getMessage().getBody(String.class)).isEqualTo("Fresh two");
        assertThat(later.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aCorruptEntryInRedisIsAMissNotAnError() throws Exception {
        twoInstances("");
        upstream.then(answer("Real answer"), answer("Asked again"), answer("And again"));
        a.ask("Corrupt me");
        awaitCached(1);
        String key = cacheKeys().get(0);

        assertThat(redis.command("SET " + key + " not-json-at-all")).isEqualTo("+OK");
        Exchange garbage = b.ask("Corrupt me");
        // the miss is cached again after the answer: wait for that write, or it could land over the next SET
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String value = redis.command("GET " + key);
            return value != null && value.contains("Asked again");
        });
        // valid JSON, but another version and shape: refused just the same
        assertThat(redis.command("SET " + key + " \"{\\\"v\\\":2,\\\"r\\\":{}}\"")).isEqualTo("+OK");
        Exchange otherVersion = b.ask("Corrupt me");

        assertThat(garbage.getMessage().getBody(String.class)).isEqualTo("Asked again");
        assertThat(garbage.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(otherVersion.getMessage().getBody(String.class)).isEqualTo("And again");
        assertThat(failures(b, LlmMetrics.GET, LlmMetrics.CORRUPT)).isEqualTo(2);
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void anAnswerLargerThanCacheMaxEntryBytesIsNotStored() throws Exception {
        twoInstances("&cacheMaxEntryBytes=200");
        upstream.then(answer("x".repeat(300)), answer("y".repeat(300)));

        a.ask("Big one");
        Exchange again = a.ask("Big one");

        assertThat(cacheKeys()).isEmpty();
        assertThat(again.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(failures(a, LlmMetrics.PUT, LlmMetrics.TOO_LARGE)).isEqualTo(2);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void callsStillAnswerWhileRedisIsStopped() throws Exception {
        twoInstances("");
        upstream.then(answer("Before the outage"), answer("During the outage"));
        a.ask("Outage");
        redis.stop();

        // fail-closed is the limits' mode; the cache is optional: a miss, within a bounded time
        Exchange during = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> b.ask("Outage"));
        Exchange again = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> b.ask("Outage"));

        assertThat(during.getMessage().getBody(String.class)).isEqualTo("During the outage");
        assertThat(during.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(again.getMessage().getBody(String.class)).isEqualTo("During the outage");
        assertThat(failures(b, LlmMetrics.GET, LlmMetrics.UNAVAILABLE)).isGreaterThanOrEqualTo(2);
        assertThat(failures(b, LlmMetrics.PUT, LlmMetrics.UNAVAILABLE)).isGreaterThanOrEqualTo(1);
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void gatewayKeysStayIsolated() throws Exception {
        twoInstances("");
        upstream.then(answer("For key one"), answer("For key two"));

        a.ask("Same question", null, "key-one");
        awaitCached(1);
        Exchange otherKey = b.ask("Same question", null, "key-two");
        awaitCached(2);
        Exchange sameKey = b.ask("Same question", null, "key-one");

        assertThat(otherKey.getMessage().getBody(String.class)).isEqualTo("For key two");
        assertThat(otherKey.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(false);
        assertThat(sameKey.getMessage().getBody(String.class)).isEqualTo("For key one");
        assertThat(sameKey.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void cacheStoreMemoryKeepsAnswersInTheProcessEvenWithASharedStateStore() throws Exception {
        twoInstances("&cacheStore=memory");
        upstream.then(answer("Local one"), answer("Local two"));

        a.ask("Private");
        Exchange aAgain = a.ask("Private");
        Exchange onB = b.ask("Private");

        assertThat(aAgain.getMessage().getHeader(LlmConstants.CACHE_HIT)).isEqualTo(true);
        assertThat(onB.getMessage().getBody(String.class)).isEqualTo("Local two");
        assertThat(cacheKeys()).isEmpty();
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void theAnswerDoesNotWaitForItsOwnWriteToRedis() throws Exception {
        // a store timeout longer than the pause below: a call that waited for its SET would take the whole pause
        a = new CacheInstance(redis.uri(), CacheRoutes.chatUri(upstream, KEY, "&cache=true"), llm -> llm.setStateStoreTimeout(5000));
        upstream.then(ex -> {
            // the lookup is done by now; Redis holds every write for 2 s from here on
            assertThat(redis.command("CLIENT PAUSE 2000 WRITE")).isEqualTo("+OK");
            answer("Cached soon").run(ex);
        });

        long start = System.nanoTime();
        Exchange first = a.ask("Paused");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(first.getMessage().getBody(String.class)).isEqualTo("Cached soon");
        assertThat(tookMs).isLessThan(1500);
        await().atMost(Duration.ofSeconds(6)).until(() -> cacheKeys().size() == 1); // the write lands after the pause
        assertThat(failures(a, LlmMetrics.PUT, LlmMetrics.UNAVAILABLE)).isZero();
    }
}
