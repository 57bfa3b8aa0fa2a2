package dev.camelllm.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class LlmApiExceptionTest {

    /** Camel's circuitBreaker EIP filters by class: request errors must be told apart from provider failures. */
    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void perRequestKindsAreRejectionsAndTheRestAreNot(ErrorKind kind) {
        LlmApiException e = LlmApiException.of(kind, "p", "m", 400, null, null, "x");
        boolean perRequest = switch (kind) {
            case INVALID_REQUEST, AUTHENTICATION, QUOTA, CONTEXT_WINDOW, CONTENT_POLICY -> true;
            default -> false;
        };
        assertThat(e instanceof LlmRejectedException).as(kind.name()).isEqualTo(perRequest);
        assertThat(e.kind()).isEqualTo(kind);
        if (perRequest) {
            assertThat(e.retryable()).isFalse();
        }
    }
}
