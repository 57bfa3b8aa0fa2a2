package dev.camelllm.api;

import java.time.Duration;

/**
 * The upstream answered with an error: an HTTP error status, or an error event inside a stream (status
 * 0). The kind says what the error means; the status and the provider's error type are kept.
 */
public class LlmApiException extends LlmException {

    public LlmApiException(ErrorKind kind, String provider, String model, int statusCode, String errorType,
                           Duration retryAfter, String message) {
        super(kind, provider, model, statusCode, errorType, retryAfter, message, null);
    }
}
