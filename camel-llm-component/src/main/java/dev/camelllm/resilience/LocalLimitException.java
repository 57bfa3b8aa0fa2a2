package dev.camelllm.resilience;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/**
 * Our own limits refused the call: the rate limit (fail mode, or the bounded wait ran out), the
 * concurrency cap, or an open circuit breaker. Never retried by the component; a route may fall back.
 */
public class LocalLimitException extends LlmException {

    public LocalLimitException(ErrorKind kind, String provider, String model, String message) {
        super(kind, provider, model, message);
    }
}
