package dev.camelllm.component;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Usage;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.semantic.SemanticCache;
import dev.camelllm.semantic.SemanticCacheStore;
import dev.camelllm.state.RedisStateStore;
import dev.camelllm.testsupport.RedisServer;

import static org.awaitility.Awaitility.await;

/**
 * A measurement, not a test (surefire does not pick its name up; run it with {@code -Dtest=SemanticLookupTiming}):
 * the time of a semantic cache lookup that misses, over one scope of 100 and of 1,000 random 384-dimension
 * candidates, in the shared state store (a real redis-server on loopback) and in memory, p50 and p99 of 1,000
 * lookups after 200 warm-up ones. docs/caching.md quotes its figures.
 */
class SemanticLookupTiming {

    private static final String IDS = "ZRANGE camel-llm:candidates:{semantic:p:s}:ids 0 -1";

    @Test
    void time() throws Exception {
        try (RedisServer redis = RedisServer.startNew()) {
            RedisStateStore store = new RedisStateStore(redis.uri(), null, Duration.ofMillis(1000));
            store.connect();
            Random r = new Random(1);
            CachedAnswer answer = new CachedAnswer(new ChatResponse(ChatMessage.assistant("x".repeat(800)), FinishReason.STOP,
                    "stop", new Usage(3, 2), "openai", "m", -1, 5), null);
            for (int n : new int[] {100, 1000}) {
                redis.command("FLUSHALL");
                SemanticCacheStore shared = new StateSemanticStore("p", store.candidateSets(), n, Duration.ofHours(1),
                        1 << 20, new LlmMetrics(new SimpleMeterRegistry()));
                SemanticCache memory = new SemanticCache("p", n, Duration.ofHours(1));
                for (int i = 0; i < n; i++) {
                    float[] v = random(r);
                    shared.put("k" + i, "s", v, answer);
                    memory.put("k" + i, "s", v, answer);
                    int sent = i + 1;
                    if (sent % 200 == 0) { // at most 256 writes in flight: more would be skipped (busy)
                        await().atMost(Duration.ofSeconds(30)).until(() -> redis.list(IDS).size() == sent);
                    }
                }
                float[] q = random(r);
                for (String kind : new String[] {"state", "memory"}) {
                    SemanticCacheStore s = kind.equals("state") ? shared : memory;
                    for (int i = 0; i < 200; i++) {
                        s.lookup("s", q, 0.99);
                    }
                    long[] t = new long[1000];
                    for (int i = 0; i < t.length; i++) {
                        long start = System.nanoTime();
                        s.lookup("s", q, 0.99);
                        t[i] = System.nanoTime() - start;
                    }
                    Arrays.sort(t);
                    System.out.printf("TIMING %s candidates=%d miss p50=%.3f ms p99=%.3f ms%n", kind, n, t[500] / 1e6, t[990] / 1e6);
                }
            }
            store.close();
        }
    }

    private static float[] random(Random r) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
