package dev.camelllm.api;

/**
 * What kind of failure an {@link LlmException} is, following RELIABILITY.md's failure classes. The kind
 * decides whether a retry or a fallback can help.
 */
public enum ErrorKind {
    /** Bad options or a missing key: fix the configuration. Never retried. */
    CONFIGURATION(false),
    /** Connection refused or reset, DNS, broken pipe. Retried. */
    NETWORK(true),
    /** No answer, or no first token, or a stalled stream, in time. Retried before output started. */
    TIMEOUT(true),
    /** 429 rate limit. Retried after retry-after. */
    RATE_LIMIT(true),
    /** 401/403: the key is wrong or lacks permission. Not retried. */
    AUTHENTICATION(false),
    /** 400/404/413/422: the request itself is wrong. Not retried. */
    INVALID_REQUEST(false),
    /** 429 insufficient_quota: the account is out of credit. Not retried. */
    QUOTA(false),
    /** The prompt does not fit the model's context window. Not retried on the same model. */
    CONTEXT_WINDOW(false),
    /** Content filter or refusal. Not retried. */
    CONTENT_POLICY(false),
    /** 5xx, 529 overloaded, an error event in a stream. Retried. */
    PROVIDER(true),
    /** A stream that was cut, or sent something we cannot parse. Retried before output started. */
    STREAM(true),
    /** The request was cancelled by the caller. */
    CANCELLED(false),
    /**
     * Our own cap on calls in flight (maxInFlight) is reached: the call was shed at once, before any
     * upstream saw it. Not retried by the component; a client may retry after a moment.
     */
    OVERLOADED(true),
    /**
     * The answer does not follow the requested JSON schema (not JSON, or JSON that fails validation), and
     * the re-asks with the validation errors (structuredOutputRetries) did not repair it. Not retried again.
     */
    INVALID_OUTPUT(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
