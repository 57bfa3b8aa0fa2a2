package dev.camelllm.api;

import java.time.Duration;

/**
 * A call was shed at once because a cap on calls in flight was full (the component's globalMaxInFlight,
 * a profile's maxInFlight, or the bounded call pool on Java 17). No upstream saw it. Retryable by the
 * caller after {@link #retryAfter()}; the component itself does not retry it, and the gateway answers it
 * with HTTP 503 and {@code retry-after}.
 */
public class LlmOverloadedException extends LlmException {

    public LlmOverloadedException(Duration retryAfter, String message) {
        super(ErrorKind.OVERLOADED, null, null, 0, null, retryAfter, message, null);
    }
}
