package dev.camelllm.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStores;
import dev.camelllm.testsupport.RedisServer;
import dev.camelllm.testsupport.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One resilience group on two instances (two groups of the same name, each with its own store on one
 * redis-server): they share the rate limits and the concurrency cap; each keeps its own breaker.
 */
@Timeout(60)
class SharedResilienceGroupTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final RedisServer redis = REDIS.server(); // the class's server, started before any instance

    private StateStore store() {
        return StateStores.create(redis.uri(), null, "fail-closed", Duration.ofMillis(300));
    }

    @Test
    void twoInstancesShareTheRequestsPerMinuteOfAGroup() {
        GroupSettings threeAMinute = new GroupSettings(3, 0, 0, true, Duration.ZERO, 0, Duration.ZERO, null);
        try (StateStore s1 = store(); StateStore s2 = store()) {
            ResilienceGroup a = new ResilienceGroup("openai@https://api.openai.com/v1#rpm", threeAMinute, s1);
            ResilienceGroup b = new ResilienceGroup("openai@https://api.openai.com/v1#rpm", threeAMinute, s2);
            int passed = 0;
            for (int i = 0; i < 8; i++) {
                try {
                    (i % 2 == 0 ? a : b).enter(10, "openai", "gpt").success(10);
                    passed++;
                } catch (LocalLimitException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
                    assertThat(e.getMessage()).contains("3 requests/minute shared in " + redis.uri());
                }
            }
            assertThat(passed).isEqualTo(3);
        }
    }

    @Test
    void twoInstancesShareTheConcurrencyCapOfAGroup() {
        GroupSettings oneAtATime = new GroupSettings(0, 0, 0, false, Duration.ZERO, 1, Duration.ZERO, null);
        try (StateStore s1 = store(); StateStore s2 = store()) {
            ResilienceGroup a = new ResilienceGroup("local-server#cap", oneAtATime, s1);
            ResilienceGroup b = new ResilienceGroup("local-server#cap", oneAtATime, s2);
            ResilienceGroup.Permit held = a.enter(0, "openai-compatible", "m");

            assertThatThrownBy(() -> b.enter(0, "openai-compatible", "m"))
                    .isInstanceOf(LocalLimitException.class).hasMessageContaining("more than 1 concurrent requests");
            held.success(0);
            // the slot is given back without a wait for Redis's answer: the other instance gets it once it arrived
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                b.enter(0, "openai-compatible", "m").success(0);
                return true;
            });
        }
    }

    @Test
    void aWaitForASharedSlotEndsWhenTheSlotIsFree() throws Exception {
        GroupSettings waitForIt = new GroupSettings(0, 0, 0, false, Duration.ZERO, 1, Duration.ofSeconds(10), null);
        try (StateStore s1 = store(); StateStore s2 = store()) {
            ResilienceGroup a = new ResilienceGroup("local-server#wait", waitForIt, s1);
            ResilienceGroup b = new ResilienceGroup("local-server#wait", waitForIt, s2);
            ResilienceGroup.Permit held = a.enter(0, "openai-compatible", "m");
            java.util.concurrent.CompletableFuture<ResilienceGroup.Permit> waiting =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> b.enter(0, "openai-compatible", "m"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
            held.failure(new IllegalStateException("upstream gone"));
            waiting.get(5, java.util.concurrent.TimeUnit.SECONDS).success(0);
        }
    }
}
