package dev.camelllm.state;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.camelllm.testsupport.RedisServer;
import dev.camelllm.testsupport.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The state store's candidate sets (the shared semantic cache's) against a real redis-server: the newest
 * entries first, bounded on every add, the same id replacing its entry, ages on the Redis clock, the set
 * expiring after its last add; a stopped server fails writes and reads at once, as StateStoreUnavailableException.
 */
@Timeout(30)
class CandidateSetsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration HOUR = Duration.ofHours(1);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final RedisServer redis = REDIS.server(); // the class's server, started before any instance

    private static void done(CompletionStage<Void> write) throws Exception {
        write.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theNewestEntriesComeFirstAndTheBoundHoldsOnEveryAdd() throws Exception {
        try (StateStore store = StateStores.create(redis.uri(), null, "fail-open", TIMEOUT)) {
            CandidateSets sets = store.candidateSets();
            // ids in reverse alphabetical order of their adds: the order seen is by time, not by id
            done(sets.add("s", "one", "p1", "answer one", 2, HOUR));
            done(sets.add("s", "two", "p2", "answer two", 2, HOUR));
            done(sets.add("s", "three", "p3", "answer three", 2, HOUR));
            done(sets.add("s", "two", "p2 again", "answer two again", 2, HOUR)); // replaces, and is the newest now

            assertThat(sets.newest("s", 10, HOUR)).containsExactly(new CandidateSets.Candidate("two", "p2 again"),
                    new CandidateSets.Candidate("three", "p3"));
            assertThat(sets.newest("s", 1, HOUR)).extracting(CandidateSets.Candidate::id).containsExactly("two");
            assertThat(sets.payload("s", "two")).isEqualTo("answer two again");
            assertThat(sets.payload("s", "one")).isNull(); // dropped with its probe
            assertThat(sets.newest("another", 10, HOUR)).isEmpty();
            assertThat(redis.command("HLEN camel-llm:candidates:{s}:entries")).isEqualTo(":4");
            // a whole number of microseconds, all 16 digits of it (not Lua's 14-digit rounding)
            assertThat(redis.command("ZSCORE camel-llm:candidates:{s}:ids two")).matches("\\d{16}");
        }
    }

    @Test
    void entriesAgeOnTheRedisClockAndTheSetExpiresAfterItsLastAdd() throws Exception {
        try (StateStore store = StateStores.create(redis.uri(), null, "fail-open", TIMEOUT)) {
            CandidateSets sets = store.candidateSets();
            done(sets.add("s", "old", "p", "answer", 10, Duration.ofMillis(300)));

            assertThat(sets.newest("s", 10, Duration.ofMillis(300))).hasSize(1);
            long pttl = Long.parseLong(redis.command("PTTL camel-llm:candidates:{s}:ids").substring(1));
            assertThat(pttl).isBetween(1L, 300L);
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.keys("camel-llm:candidates:*").isEmpty());
            assertThat(sets.newest("s", 10, Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void aStoppedServerFailsReadsAndWritesAtOnce() throws Exception {
        try (StateStore store = StateStores.create(redis.uri(), null, "fail-open", TIMEOUT)) {
            CandidateSets sets = store.candidateSets();
            done(sets.add("s", "one", "p", "answer", 10, HOUR));
            redis.stop();

            assertThatThrownBy(() -> sets.newest("s", 10, HOUR)).isInstanceOf(StateStoreUnavailableException.class);
            // down now: a write fails without asking the server
            assertThatThrownBy(() -> done(sets.add("s", "two", "p", "answer", 10, HOUR)))
                    .hasCauseInstanceOf(StateStoreUnavailableException.class);
            assertThat(StateStores.create("memory", null, null, TIMEOUT).candidateSets()).isNull();
        }
    }
}
