package dev.camelllm.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The set-up of the shared-cache tests: one real redis-server for the test class ({@link RedisServerExtension}:
 * started again and flushed before each test, since a test may stop it), a fresh OpenAI-format fake per test,
 * and two instances ({@link CacheInstance}) on both, closed after each test.
 */
public abstract class TwoInstancesOnRedis {

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    protected RedisServer redis;

    protected ScriptedHttpServer upstream;
    protected CacheInstance a;
    protected CacheInstance b;

    @BeforeEach
    void startUpstream() throws Exception {
        redis = REDIS.server();
        upstream = new ScriptedHttpServer();
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (CacheInstance i : new CacheInstance[] {a, b}) {
            if (i != null) {
                i.close();
            }
        }
        if (upstream != null) { // null when the extension failed to start redis-server
            upstream.close();
        }
    }

    /** Instances a and b, both with their endpoint at {@code uri}. */
    protected void startInstances(String uri) throws Exception {
        a = new CacheInstance(redis.uri(), uri);
        b = new CacheInstance(redis.uri(), uri);
    }
}
