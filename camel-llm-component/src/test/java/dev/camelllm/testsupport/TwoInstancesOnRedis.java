package dev.camelllm.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up of the shared-cache tests: one real redis-server for the test class (started again and flushed
 * before each test, since a test may stop it), a fresh OpenAI-format fake per test, and two instances
 * ({@link CacheInstance}) on both, closed after each test.
 */
public abstract class TwoInstancesOnRedis {

    protected static RedisServer redis;

    protected ScriptedHttpServer upstream;
    protected CacheInstance a;
    protected CacheInstance b;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.startNew();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new ScriptedHttpServer();
        redis.start();
        redis.command("FLUSHALL");
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (CacheInstance i : new CacheInstance[] {a, b}) {
            if (i != null) {
                i.close();
            }
        }
        upstream.close();
    }

    /** Instances a and b, both with their endpoint at {@code uri}. */
    protected void startInstances(String uri) throws Exception {
        a = new CacheInstance(redis.uri(), uri);
        b = new CacheInstance(redis.uri(), uri);
    }
}
