package dev.camelllm.api;

import java.time.Duration;

/**
 * The one exception type of the component. Its message names the provider and model and never contains
 * a key. {@link #kind()} classifies it; {@link #retryAfter()} carries the upstream's retry-after when it
 * sent one.
 */
public class LlmException extends RuntimeException {

    private final ErrorKind kind;
    private final String provider;
    private final String model;
    private final int statusCode;
    private final String errorType;
    private final Duration retryAfter;

    public LlmException(ErrorKind kind, String provider, String model, String message) {
        this(kind, provider, model, 0, null, null, message, null);
    }

    public LlmException(ErrorKind kind, String provider, String model, String message, Throwable cause) {
        this(kind, provider, model, 0, null, null, message, cause);
    }

    public LlmException(ErrorKind kind, String provider, String model, int statusCode, String errorType,
                        Duration retryAfter, String message, Throwable cause) {
        super(format(kind, provider, model, statusCode, errorType, message), cause);
        this.kind = kind;
        this.provider = provider;
        this.model = model;
        this.statusCode = statusCode;
        this.errorType = errorType;
        this.retryAfter = retryAfter;
    }

    private static String format(ErrorKind kind, String provider, String model, int status, String type,
                                 String message) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(provider == null ? "llm" : provider);
        if (model != null) {
            sb.append(' ').append(model);
        }
        sb.append("] ").append(kind);
        if (status > 0) {
            sb.append(" (HTTP ").append(status);
            if (type != null) {
                sb.append(", ").append(type);
            }
            sb.append(')');
        } else if (type != null) {
            sb.append(" (").append(type).append(')');
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    /** The HTTP status, or 0 when there was none (network error, error event in a stream). */
    public int statusCode() {
        return statusCode;
    }

    /** The provider's own error type or code, e.g. {@code overloaded_error}, {@code insufficient_quota}. */
    public String errorType() {
        return errorType;
    }

    /** How long the upstream asked us to wait, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
