package dev.camelllm.gateway;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;

/**
 * Turns what failed behind the gateway into an error for the client. The client's own faults (a request
 * the model rejects, a prompt too long) keep their 4xx; the operator's faults (a wrong provider key, bad
 * configuration) become a 500 that does not pretend the client's gateway key was wrong.
 */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    static GatewayError toError(Throwable failure) {
        if (failure instanceof GatewayException g) {
            return g.error();
        }
        LlmException llm = llmCause(failure);
        if (llm == null) {
            return GatewayError.of(ErrorType.API_ERROR, "The gateway failed to process the request");
        }
        // LlmException messages are already free of keys (the component redacts them)
        String message = llm.getMessage();
        return switch (llm.kind()) {
            case INVALID_REQUEST, CONTEXT_WINDOW -> new GatewayError(400, ErrorType.INVALID_REQUEST, message, null,
                    llm.kind() == ErrorKind.CONTEXT_WINDOW ? "context_length_exceeded" : null);
            case CONTENT_POLICY -> new GatewayError(400, ErrorType.INVALID_REQUEST, message, null, "content_filter");
            case RATE_LIMIT, QUOTA -> new GatewayError(429, ErrorType.RATE_LIMIT, message, null,
                    llm.kind() == ErrorKind.QUOTA ? "insufficient_quota" : "rate_limit_exceeded");
            case TIMEOUT -> new GatewayError(504, ErrorType.TIMEOUT, message, null, null);
            case PROVIDER, NETWORK, STREAM -> new GatewayError(502, ErrorType.OVERLOADED, message, null, null);
            case AUTHENTICATION, CONFIGURATION -> new GatewayError(500, ErrorType.API_ERROR,
                    "The gateway's upstream for this model is misconfigured (the operator has been told in the logs)",
                    null, null);
            // the upstream answered, but not in the schema the client asked for, even after the re-asks
            case INVALID_OUTPUT -> new GatewayError(502, ErrorType.API_ERROR, message, null, "invalid_output");
            case CANCELLED -> new GatewayError(499, ErrorType.API_ERROR, message, null, null);
            // our own cap on calls in flight: shed at once, with retry-after
            case OVERLOADED -> new GatewayError(503, ErrorType.OVERLOADED, message, null, "overloaded");
        };
    }

    /** Seconds the client should wait before retrying, or -1. */
    static long retryAfterSeconds(Throwable failure) {
        if (failure instanceof VirtualKey.RateLimitedException r) {
            return r.retryAfterSeconds();
        }
        LlmException llm = llmCause(failure);
        if (llm != null && llm.retryAfter() != null) {
            return Math.max(1, (llm.retryAfter().toMillis() + 999) / 1000);
        }
        return -1;
    }

    /** The LlmException in the failure's cause chain, or null. */
    static LlmException llmCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmException e) {
                return e;
            }
        }
        return null;
    }
}
