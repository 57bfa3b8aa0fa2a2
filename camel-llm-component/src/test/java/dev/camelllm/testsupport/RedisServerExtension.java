package dev.camelllm.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServer} for a test class ({@code @RegisterExtension static final RedisServerExtension REDIS},
 * then {@code final RedisServer redis = REDIS.server();} as a field: test instances are made after it started):
 * started before the first test, (re)started and emptied before each (a test that stopped it may have failed
 * before starting it again), stopped after the last. Skips the class when redis-server is not installed.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private RedisServer server;

    public RedisServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.startNew();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server.start();
        String answer = server.command("FLUSHALL");
        if (!"+OK".equals(answer)) {
            throw new IllegalStateException("FLUSHALL answered " + answer);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
