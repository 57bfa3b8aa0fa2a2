package dev.camelllm.api;

import java.time.Duration;

/**
 * The upstream answered with an error: an HTTP error status, or an error event inside a stream (status
 * 0). The kind says what the error means; the status and the provider's error type are kept.
 */
public class LlmApiException extends LlmException {

    /**
     * The exception for an upstream error of the given kind: an {@link LlmRejectedException} when the
     * request itself is at fault, else a plain LlmApiException (rate limit, provider failure).
     */
    public static LlmApiException of(ErrorKind kind, String provider, String model, int statusCode, String errorType,
                                     Duration retryAfter, String message) {
        return switch (kind) {
            case INVALID_REQUEST, AUTHENTICATION, QUOTA, CONTEXT_WINDOW, CONTENT_POLICY ->
                    new LlmRejectedException(kind, provider, model, statusCode, errorType, retryAfter, message);
            default -> new LlmApiException(kind, provider, model, statusCode, errorType, retryAfter, message);
        };
    }

    public LlmApiException(ErrorKind kind, String provider, String model, int statusCode, String errorType,
                           Duration retryAfter, String message) {
        super(kind, provider, model, statusCode, errorType, retryAfter, message, null);
    }
}
