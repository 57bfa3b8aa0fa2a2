package dev.camelllm.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class RateLimitsTest {

    @Test
    void aBurstGetsExactlyTheLimitThenFailsInFailMode() {
        RateLimits limits = new RateLimits(5, 0, 0, true, Duration.ZERO);
        int passed = 0;
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            try {
                limits.acquire(1, "p", "m");
                passed++;
            } catch (LocalLimitException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
                assertThat(e.getMessage()).contains("5 requests/minute").contains("rateLimitMode=fail");
                refused++;
            }
        }
        assertThat(passed).isEqualTo(5);
        assertThat(refused).isEqualTo(7);
    }

    @Test
    void waitModeWaitsForTheRefillWithinTheBound() {
        // 600 per minute = one every 100 ms
        RateLimits limits = new RateLimits(600, 0, 0, false, Duration.ofSeconds(5));
        for (int i = 0; i < 600; i++) {
            limits.acquire(1, "p", "m");
        }
        Duration waited = limits.acquire(1, "p", "m");
        assertThat(waited).isBetween(Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    @Test
    void waitModeGivesUpWhenTheWaitWouldExceedTheBound() {
        RateLimits limits = new RateLimits(1, 0, 0, false, Duration.ofMillis(200));
        limits.acquire(1, "p", "m");
        long start = System.nanoTime();
        assertThatThrownBy(() -> limits.acquire(1, "p", "m")).isInstanceOf(LocalLimitException.class)
                .hasMessageContaining("no capacity within 200 ms");
        // refused at once: waiting would not have helped
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));
    }

    @Test
    void theHourLimitHoldsToo() {
        RateLimits limits = new RateLimits(100, 3, 0, true, Duration.ZERO);
        limits.acquire(1, "p", "m");
        limits.acquire(1, "p", "m");
        limits.acquire(1, "p", "m");
        assertThatThrownBy(() -> limits.acquire(1, "p", "m")).hasMessageContaining("3 requests/hour");
    }

    @Test
    void tokensPerMinuteIsCorrectedFromTheRealUsage() {
        RateLimits limits = new RateLimits(0, 0, 1000, true, Duration.ZERO);
        limits.acquire(100, "p", "m");
        assertThat(limits.tokensAvailable()).isBetween(899.0, 901.0);
        // the call really used 700 tokens, not the 100 estimated
        limits.settle(100, 700);
        assertThat(limits.tokensAvailable()).isBetween(299.0, 301.0);
        assertThatThrownBy(() -> limits.acquire(400, "p", "m")).hasMessageContaining("1000 tokens/minute");
        // and an over-estimate is given back
        limits.acquire(250, "p", "m");
        limits.settle(250, 50);
        assertThat(limits.tokensAvailable()).isBetween(249.0, 252.0);
    }
}
