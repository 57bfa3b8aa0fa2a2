package dev.camelllm.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.camelllm.testsupport.RedisServer;
import dev.camelllm.testsupport.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Redis state store against a real redis-server: buckets and budgets that two stores (two instances)
 * share, atomically, and what a store does when the server stops and comes back.
 */
@Timeout(60)
class RedisStateStoreTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final RedisServer redis = REDIS.server(); // the class's server, started before any instance

    private StateStore store(String mode) {
        return StateStores.create(redis.uri(), null, mode, TIMEOUT);
    }

    @Test
    void twoInstancesDrawFromOneBucket() {
        Bucket fivePerMinute = new Bucket("key:team:rpm", 5, MINUTE);
        int taken = 0;
        try (StateStore a = store("fail-closed"); StateStore b = store("fail-closed")) {
            for (int i = 0; i < 12; i++) {
                StateStore s = i % 2 == 0 ? a : b;
                if (s.tryTake(List.of(fivePerMinute), new long[] {1}, null).isZero()) {
                    taken++;
                }
            }
            // the next token is a fifth of a minute away, whichever instance asks
            Duration wait = b.tryTake(List.of(fivePerMinute), new long[] {1}, null);
            assertThat(wait).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(12));
        }
        assertThat(taken).isEqualTo(5);
        // the bucket outlives the stores (a restart of both instances), under our prefix
        try (StateStore again = store("fail-closed")) {
            assertThat(again.tryTake(List.of(fivePerMinute), new long[] {1}, null)).isPositive();
        }
        assertThat(redis.command("EXISTS camel-llm:bucket:key:team:rpm")).isEqualTo(":1");
    }

    @Test
    void aCallTakesFromEveryBucketOrFromNone() {
        // refilled over an hour, so that a slow machine's seconds do not blur the figures
        Bucket requests = new Bucket("group:g:rph", 100, Duration.ofHours(1));
        Bucket tokens = new Bucket("group:g:tph", 50, Duration.ofHours(1));
        try (StateStore s = store("fail-closed")) {
            assertThat(s.tryTake(List.of(requests, tokens), new long[] {1, 40}, null)).isZero();
            // 10 tokens left: a call estimated at 30 is refused and takes no request either
            assertThat(s.tryTake(List.of(requests, tokens), new long[] {1, 30}, null)).isPositive();
            assertThat(s.available(requests)).isBetween(99.0, 99.5);
            assertThat(s.available(tokens)).isBetween(10.0, 10.5);
            // the real usage was 10 more than the estimate: the bucket is charged after the fact
            s.adjust(List.of(tokens), new long[] {10});
            await().atMost(Duration.ofSeconds(5)).until(() -> s.available(tokens) < 1);
        }
    }

    @Test
    void sixtyFourConcurrentReservationsNeverOverspendByMoreThanOneEstimate() throws Exception {
        long limit = 1_000_000_000;   // 1 USD in nano-USD
        long estimate = 40_000_000;   // 0.04 USD held per call
        long actual = 30_000_000;     // 0.03 USD charged
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (StateStore a = store("fail-closed"); StateStore b = store("fail-closed")) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                StateStore s = i % 2 == 0 ? a : b;
                calls.add(pool.submit(() -> {
                    go.await();
                    Reservation r = s.reserve("key:team:2026-12-02", limit, estimate, Duration.ofDays(2), null);
                    if (r.granted()) {
                        granted.incrementAndGet();
                        r.settle(actual);
                    } else {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            // every settle has reached Redis: what is committed is exactly what the granted calls cost
            await().atMost(Duration.ofSeconds(5)).until(() -> a.committed("key:team:2026-12-02") == granted.get() * actual);
            long spent = a.committed("key:team:2026-12-02");
            assertThat(spent).isLessThanOrEqualTo(limit + estimate);
            assertThat(granted.get() + refused.get()).isEqualTo(64);
            assertThat(refused.get()).isPositive();
            // a refusal needs the budget held in full, and each call holds one estimate: enough calls got through
            assertThat(granted.get() * estimate).isGreaterThanOrEqualTo(limit);
            // a day's budget expires after its period
            assertThat(Long.parseLong(redis.command("TTL camel-llm:budget:key:team:2026-12-02").substring(1)))
                    .isBetween(Duration.ofDays(2).toSeconds() - 60, Duration.ofDays(2).toSeconds());
        }
    }

    @Test
    void failClosedRefusesWithinTheTimeoutWhileRedisIsDownAndSharesAgainWhenItIsBack() throws Exception {
        Bucket bucket = new Bucket("key:closed:rpm", 100, MINUTE);
        try (StateStore s = store("fail-closed")) {
            assertThat(s.tryTake(List.of(bucket), new long[] {1}, null)).isZero();
            redis.stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> s.tryTake(List.of(bucket), new long[] {1}, null))
                    .isInstanceOf(StateStoreUnavailableException.class)
                    .hasMessageContaining(redis.uri()).hasMessageContaining("fail-closed");
            // and the calls after it are refused at once, without a wait for the server each
            assertThatThrownBy(() -> s.reserve("b", 10, 1, null, null)).isInstanceOf(StateStoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(700));

            redis.start(); // empty again: nothing was persisted
            await().atMost(Duration.ofSeconds(10)).until(() -> ((FailoverStateStore) s).up());
            // the scripts are loaded again by themselves (NOSCRIPT), and the state is in Redis again
            assertThat(s.tryTake(List.of(bucket), new long[] {1}, null)).isZero();
            assertThat(redis.command("EXISTS camel-llm:bucket:key:closed:rpm")).isEqualTo(":1");
        }
    }

    @Test
    void failOpenDecidesLocallyWhileRedisIsDownThenSharesAgain() throws Exception {
        Bucket twoPerMinute = new Bucket("key:open:rpm", 2, MINUTE);
        try (StateStore a = store("fail-open"); StateStore b = store("fail-open")) {
            assertThat(a.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isZero();
            assertThat(b.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isZero();
            assertThat(a.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isPositive();
            redis.stop();

            // each instance applies the limit on its own: two each, within the bound of one timeout
            long start = System.nanoTime();
            int localA = 0;
            for (int i = 0; i < 3; i++) {
                if (a.tryTake(List.of(twoPerMinute), new long[] {1}, null).isZero()) {
                    localA++;
                }
            }
            assertThat(localA).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(700));

            redis.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ((FailoverStateStore) a).up() && ((FailoverStateStore) b).up());
            // shared again: the new (empty) server's bucket, drawn from by both
            assertThat(a.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isZero();
            assertThat(b.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isZero();
            assertThat(a.tryTake(List.of(twoPerMinute), new long[] {1}, null)).isPositive();
        }
    }

    @Test
    void aWaitForRedisEndsWithTheCallsTimeLeft() throws Exception {
        Bucket bucket = new Bucket("key:slow:rpm", 10, MINUTE);
        try (StateStore s = StateStores.create(redis.uri(), null, "fail-closed", Duration.ofSeconds(5))) {
            assertThat(s.tryTake(List.of(bucket), new long[] {1}, null)).isZero();
            // a server that holds every command (CLIENT PAUSE) must not hold a call past its deadline
            assertThat(redis.command("CLIENT PAUSE 2000")).isEqualTo("+OK");
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.tryTake(List.of(bucket), new long[] {1}, Duration.ofMillis(150)))
                    .isInstanceOf(StateStoreUnavailableException.class).hasMessageContaining("did not answer within 150 ms").hasMessageContaining("fail-closed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
        }
    }

    @Test
    void aConcurrencyCapIsSharedAndItsSlotsComeBack() {
        try (StateStore a = store("fail-closed"); StateStore b = store("fail-closed")) {
            Lease first = a.tryLease("group:g:concurrent", 2, null);
            Lease second = b.tryLease("group:g:concurrent", 2, null);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(a.tryLease("group:g:concurrent", 2, null)).isNull();
            second.release();
            second.release(); // only the first release counts
            // the release is sent, not waited for: the slot is free once it has arrived
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                Lease l = a.tryLease("group:g:concurrent", 2, null);
                return l != null;
            });
            assertThat(b.tryLease("group:g:concurrent", 2, null)).isNull();
        }
    }

    @Test
    void theSlotsOfAnInstanceThatDiedExpireAndThoseOfALiveOneAreRenewed() {
        Duration lease = Duration.ofMillis(900);
        RedisStateStore dying = new RedisStateStore(redis.uri(), null, TIMEOUT, lease);
        RedisStateStore living = new RedisStateStore(redis.uri(), null, TIMEOUT, lease);
        try (RedisStateStore other = new RedisStateStore(redis.uri(), null, TIMEOUT, lease)) {
            assertThat(dying.connect() && living.connect() && other.connect()).isTrue();
            assertThat(dying.tryLease("group:dead:concurrent", 1, null)).isNotNull();
            assertThat(living.tryLease("group:live:concurrent", 1, null)).isNotNull();
            dying.close(); // never released, never renewed again: as if the process had died

            // the dead instance's slot comes back by itself once its lease ran out
            await().atMost(Duration.ofSeconds(5)).until(() -> other.tryLease("group:dead:concurrent", 1, null) != null);
            // the live one's stays taken for well over its lease time: it is renewed
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                    .until(() -> other.tryLease("group:live:concurrent", 1, null) == null);
        } finally {
            living.close();
        }
    }

    @Test
    void aStoreStartedWhileRedisIsDownDecidesLocallyThenConnectsWhenItComesUp() throws Exception {
        Bucket bucket = new Bucket("key:late:rpm", 1, MINUTE);
        redis.stop();
        try (StateStore s = store("fail-open")) {
            assertThat(((FailoverStateStore) s).up()).isFalse();
            assertThat(s.tryTake(List.of(bucket), new long[] {1}, null)).isZero();
            // a settle into a store that is down never fails the call that settles
            Reservation r = s.reserve("b:late", 100, 10, null, null);
            r.settle(5);

            redis.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ((FailoverStateStore) s).up());
            assertThat(s.tryTake(List.of(bucket), new long[] {1}, null)).isZero();
            assertThat(redis.command("EXISTS camel-llm:bucket:key:late:rpm")).isEqualTo(":1");
        }
    }

    @Test
    void aPasswordInTheUriIsNeverShown() {
        try (StateStore s = StateStores.create("redis://:hunter2-secret@127.0.0.1:" + redis.port(), null, "fail-closed",
                TIMEOUT)) {
            assertThat(s.description()).isEqualTo(redis.uri() + " (fail-closed)");
        }
        assertThatThrownBy(() -> StateStores.create("redis://:hunter2-secret@[bad", null, "fail-closed", TIMEOUT))
                .hasMessageContaining("stateStore").hasMessageNotContaining("hunter2");
    }

    @Test
    void badStoreOptionsNameTheOption() {
        assertThatThrownBy(() -> StateStores.create("http://secret@host", null, "fail-open", TIMEOUT))
                .hasMessageContaining("stateStore").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> StateStores.create(redis.uri(), null, "sometimes", TIMEOUT))
                .hasMessageContaining("stateStoreFailureMode");
        assertThat(StateStores.create("memory", null, null, TIMEOUT)).isInstanceOf(MemoryStateStore.class);
    }
}
