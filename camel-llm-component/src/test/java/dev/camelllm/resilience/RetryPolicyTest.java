package dev.camelllm.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(1000), 2.0, Duration.ofMillis(10_000), 0.2,
            Duration.ofSeconds(30));

    private static LlmException error(ErrorKind kind, Duration retryAfter) {
        return new LlmApiException(kind, "p", "m", 500, null, retryAfter, "x");
    }

    @Test
    void backoffGrowsExponentiallyWithinTheJitterAndIsCapped() {
        LlmException e = error(ErrorKind.PROVIDER, null);
        for (int i = 0; i < 50; i++) {
            assertThat(policy.delayBefore(1, e).toMillis()).isBetween(800L, 1200L);
            assertThat(policy.delayBefore(2, e).toMillis()).isBetween(1600L, 2400L);
            assertThat(policy.delayBefore(3, e).toMillis()).isBetween(3200L, 4800L);
            assertThat(policy.delayBefore(6, e).toMillis()).isBetween(8000L, 10_000L);
        }
    }

    @Test
    void retryAfterWinsAndIsCapped() {
        assertThat(policy.delayBefore(1, error(ErrorKind.RATE_LIMIT, Duration.ofMillis(1500)))).isEqualTo(Duration.ofMillis(1500));
        assertThat(policy.delayBefore(1, error(ErrorKind.RATE_LIMIT, Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void onlyRetryableKindsAreRetriedAndOnlyMaxRetriesTimes() {
        assertThat(policy.shouldRetry(error(ErrorKind.PROVIDER, null), 0)).isTrue();
        assertThat(policy.shouldRetry(error(ErrorKind.RATE_LIMIT, null), 3)).isTrue();
        assertThat(policy.shouldRetry(error(ErrorKind.PROVIDER, null), 4)).isFalse();
        for (ErrorKind kind : new ErrorKind[] { ErrorKind.INVALID_REQUEST, ErrorKind.AUTHENTICATION, ErrorKind.QUOTA,
                ErrorKind.CONTEXT_WINDOW, ErrorKind.CONTENT_POLICY, ErrorKind.CONFIGURATION, ErrorKind.CANCELLED }) {
            assertThat(policy.shouldRetry(error(kind, null), 0)).as(kind.name()).isFalse();
        }
        assertThat(policy.shouldRetry(new LocalLimitException(ErrorKind.RATE_LIMIT, "p", "m", "local"), 0)).isFalse();
    }
}
