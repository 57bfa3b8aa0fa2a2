package dev.camelllm.api;

import java.time.Duration;

/**
 * The upstream refused this request for a reason of the request or the account, not of the provider's
 * health: 400/404/413/422, 401/403, insufficient_quota, context window, content policy. Retrying or
 * tripping a circuit breaker does not help; in Camel's circuitBreaker EIP list this class (and
 * {@link LlmInvalidRequestException}) under ignoreExceptions. Beware that Camel (4.18) then drops the
 * exception from the exchange, which goes on with its input body and the exchange property
 * {@code CamelCircuitBreakerResponseIgnored=true}: check that property after the EIP. The endpoint's own
 * {@code circuitBreaker=true} never counts these errors and leaves them on the exchange.
 */
public class LlmRejectedException extends LlmApiException {

    public LlmRejectedException(ErrorKind kind, String provider, String model, int statusCode, String errorType,
                                Duration retryAfter, String message) {
        super(kind, provider, model, statusCode, errorType, retryAfter, message);
    }
}
