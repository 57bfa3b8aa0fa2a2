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
        // 60 per minute = one a second; on a loaded machine the loop itself may take part of that second
        RateLimits limits = new RateLimits(60, 0, 0, false, Duration.ofSeconds(5));
        long start = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            limits.acquire(1, "p", "m");
        }
        long loopMs = (System.nanoTime() - start) / 1_000_000;
        Duration waited = limits.acquire(1, "p", "m");
        // the 61st waited for the rest of the second in which the bucket refills one request
        assertThat(waited).isLessThanOrEqualTo(Duration.ofMillis(1100));
        assertThat(waited.toMillis() + loopMs).isGreaterThanOrEqualTo(900);
    }

    @Test
    void waitModeGivesUpWhenTheWaitWouldExceedTheBound() {
        // one a minute: the next token is 60 s away, far past the bound of 5 s
        RateLimits limits = new RateLimits(1, 0, 0, false, Duration.ofSeconds(5));
        limits.acquire(1, "p", "m");
        long start = System.nanoTime();
        assertThatThrownBy(() -> limits.acquire(1, "p", "m")).isInstanceOf(LocalLimitException.class)
                .hasMessageContaining("no capacity within 5000 ms");
        // refused without waiting out the bound: waiting would not have helped
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
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
