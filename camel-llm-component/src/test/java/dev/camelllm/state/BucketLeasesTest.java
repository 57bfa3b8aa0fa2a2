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
 * Local leases of shared buckets (stateStoreLeaseFraction) against a real redis-server, two stores being two
 * instances: small limits stay exact, a large one is never exceeded together, and the script calls that Redis
 * counts ({@code INFO commandstats}) are a fraction of the requests.
 */
@Timeout(120)
class BucketLeasesTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final long[] ONE = {1};

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final RedisServer redis = REDIS.server(); // the class's server, started before any instance

    private StateStore store(String mode, double fraction) {
        return StateStores.create(redis.uri(), null, mode, TIMEOUT, fraction);
    }

    /** The bucket scripts Redis ran since the counters were reset (by digest, or whole after a NOSCRIPT). */
    private long scriptCalls() {
        return redis.calls("evalsha") + redis.calls("eval");
    }

    /** Zeroes Redis's counters once the store has loaded the script (its first EVALSHA fails with NOSCRIPT). */
    private void resetCounts(StateStore loaded) {
        loaded.available(new Bucket("warm-up", 1, MINUTE));
        assertThat(redis.command("CONFIG RESETSTAT")).isEqualTo("+OK");
    }

    @Test
    void aSmallLimitStaysExactAcrossTwoInstancesWithOneScriptCallPerRequest() {
        Bucket tenPerMinute = new Bucket("key:small:rpm", 10, MINUTE); // lease size 10 x 0.001 -> 1
        int taken = 0;
        try (StateStore a = store("fail-closed", StateStores.DEFAULT_LEASE_FRACTION);
             StateStore b = store("fail-closed", StateStores.DEFAULT_LEASE_FRACTION)) {
            resetCounts(a);
            for (int i = 0; i < 30; i++) {
                if ((i % 2 == 0 ? a : b).tryTake(List.of(tenPerMinute), ONE, null).isZero()) {
                    taken++;
                }
            }
            assertThat(scriptCalls()).isEqualTo(30);
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void twoInstancesTogetherNeverTakeMoreThanALargeLimitOverABurst() throws Exception {
        Bucket large = new Bucket("key:large:rpm", 10_000, MINUTE); // lease 10
        int attempts = 12_000;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger passed = new AtomicInteger();
        long elapsed;
        long calls;
        try (StateStore a = store("fail-closed", 0.001); StateStore b = store("fail-closed", 0.001)) {
            resetCounts(a);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                StateStore s = t % 2 == 0 ? a : b;
                workers.add(pool.submit(() -> {
                    go.await();
                    while (started.incrementAndGet() <= attempts) {
                        if (s.tryTake(List.of(large), ONE, null).isZero()) {
                            passed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            elapsed = System.nanoTime() - start;
            pool.shutdown();
            calls = scriptCalls();
            System.out.printf("[leases] burst: %d of %d passed in %d ms, %d script calls%n", passed.get(), attempts,
                    elapsed / 1_000_000, calls);
        }
        // at most the bucket and what it refilled meanwhile; at least that less what the two leases held unspent
        long refilled = (long) Math.ceil(10_000.0 * elapsed / MINUTE.toNanos());
        assertThat(passed.get()).isLessThanOrEqualTo(10_000 + (int) refilled).isGreaterThanOrEqualTo(10_000 - 2 * 10);
        // about 1,000 leases, then at the limit one call per instance and token's refill (6 ms), not per request
        assertThat(calls).isLessThanOrEqualTo(attempts / 4);
    }

    @Test
    void belowALargeLimitTwoInstancesCallRedisAboutOncePerLease() throws Exception {
        Bucket large = new Bucket("key:busy:rpm", 10_000, MINUTE); // lease 10
        int requests = 9_000;
        AtomicInteger left = new AtomicInteger(requests);
        AtomicInteger refused = new AtomicInteger();
        long calls;
        try (StateStore a = store("fail-closed", 0.001); StateStore b = store("fail-closed", 0.001)) {
            resetCounts(a);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                StateStore s = t % 2 == 0 ? a : b;
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        if (!s.tryTake(List.of(large), ONE, null).isZero()) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            calls = scriptCalls();
            System.out.printf("[leases] %d requests under the limit: %d script calls%n", requests, calls);
        }
        assertThat(refused.get()).isZero();
        // a lease of 10 serves 10 requests: about 900 calls (a few more when requests find a lease empty at once)
        assertThat(calls).isLessThanOrEqualTo(requests / 5);
    }

    @Test
    void offItIsOneScriptCallPerRequest() {
        Bucket large = new Bucket("key:off:rpm", 10_000, MINUTE);
        try (StateStore s = store("fail-closed", 0)) {
            resetCounts(s);
            for (int i = 0; i < 100; i++) {
                assertThat(s.tryTake(List.of(large), ONE, null)).isZero();
            }
            assertThat(scriptCalls()).isEqualTo(100);
        }
    }

    @Test
    void tokenCorrectionsAreBatchedAndAddUpExactly() {
        // refilled over an hour (28 tokens a second), so that the test's seconds barely blur the balance
        Bucket requests = new Bucket("group:g:rph", 100_000, HOUR);
        Bucket tokens = new Bucket("group:g:tph", 100_000, HOUR);
        List<Bucket> both = List.of(requests, tokens);
        long start = System.nanoTime();
        try (StateStore a = store("fail-closed", 0.001); StateStore b = store("fail-closed", 0.001)) {
            resetCounts(a);
            for (int i = 0; i < 200; i++) {
                StateStore s = i % 2 == 0 ? a : b;
                // estimated 10 tokens, used 12: the correction after the answer
                assertThat(s.tryTake(both, new long[] {1, 10}, null)).isZero();
                s.adjust(List.of(tokens), new long[] {2});
            }
            long calls = scriptCalls();
            System.out.printf("[leases] 200 calls with corrections: %d script calls (without leases: 400)%n", calls);
            assertThat(calls).isLessThanOrEqualTo(200 / 4);
        }
        // both closed: their leases given back and their corrections sent, so Redis holds exactly what was used
        double refill = 100_000.0 * (System.nanoTime() - start) / HOUR.toNanos();
        try (StateStore reader = store("fail-closed", 0)) {
            assertThat(reader.available(requests)).isBetween(100_000 - 200 - 1.0, 100_000 - 200 + refill + 1);
            assertThat(reader.available(tokens)).isBetween(100_000 - 200 * 12 - 1.0, 100_000 - 200 * 12 + refill + 1);
        }
    }

    @Test
    void anIdleLeaseIsGivenBack() {
        Bucket bucket = new Bucket("key:idle:rph", 10_000, HOUR); // lease 10
        try (StateStore s = store("fail-closed", 0.001); StateStore reader = store("fail-closed", 0)) {
            assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
            // this instance still counts what it leased as there; Redis does not, until it is given back
            assertThat(s.available(bucket)).isGreaterThan(9_998);
            assertThat(reader.available(bucket)).isLessThan(9_992);
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.available(bucket) >= 9_999);
        }
    }

    @Test
    void failClosedServesWhatItLeasedThenRefusesOnceRedisIsDown() throws Exception {
        Bucket bucket = new Bucket("key:closed-lease:rpm", 10_000, MINUTE); // lease 10
        try (StateStore s = store("fail-closed", 0.001)) {
            assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
            redis.stop();
            long start = System.nanoTime();
            int served = 0;
            StateStoreUnavailableException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
                    served++;
                } catch (StateStoreUnavailableException e) {
                    refused = e;
                }
            }
            // the 9 tokens it held were taken from Redis before: spending them exceeds nothing
            assertThat(served).isEqualTo(9);
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).contains(redis.uri()).contains("fail-closed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(700));
            assertThat(((FailoverStateStore) s).up()).isFalse();
            redis.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ((FailoverStateStore) s).up());
            assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
        }
    }

    @Test
    void failOpenGoesOnLocallyWhenALeaseCallFails() throws Exception {
        Bucket bucket = new Bucket("key:open-lease:rpm", 10_000, MINUTE);
        try (StateStore s = store("fail-open", 0.001)) {
            assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
            redis.stop();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(s.tryTake(List.of(bucket), ONE, null)).isZero();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(700));
            assertThat(((FailoverStateStore) s).up()).isFalse();
        }
    }

    @Test
    void aWrongLeaseFractionNamesTheOption() {
        for (double wrong : new double[] {-0.1, 0.5, Double.NaN}) {
            assertThatThrownBy(() -> StateStores.create(redis.uri(), null, "fail-open", TIMEOUT, wrong))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stateStoreLeaseFraction");
            assertThatThrownBy(() -> StateStores.create("memory", null, "fail-open", TIMEOUT, wrong))
                    .hasMessageContaining("stateStoreLeaseFraction");
        }
        // set on the component: a configuration error when the store is first made (at start)
        dev.camelllm.component.LlmComponent component = new dev.camelllm.component.LlmComponent();
        component.setStateStoreLeaseFraction(2);
        assertThatThrownBy(component::stateStore).isInstanceOf(dev.camelllm.api.LlmConfigurationException.class)
                .hasMessageContaining("Invalid value 2.0 of option 'stateStoreLeaseFraction'");
    }
}
