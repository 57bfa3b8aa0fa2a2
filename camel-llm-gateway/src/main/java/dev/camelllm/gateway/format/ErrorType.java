package dev.camelllm.gateway.format;

/** The kinds of error the gateway answers with; each format maps them to its own type names. */
public enum ErrorType {
    /** 400: the body is not valid JSON or not a valid request. */
    INVALID_REQUEST(400),
    /** 401: no gateway key, or an unknown one. */
    AUTHENTICATION(401),
    /** 403: the key may not use this model. */
    PERMISSION(403),
    /** 404: no such model, or no such path. */
    NOT_FOUND(404),
    /** 405: a path of the gateway asked with a method it does not answer. */
    METHOD_NOT_ALLOWED(405),
    /** 413: the body is larger than the gateway accepts. */
    REQUEST_TOO_LARGE(413),
    /** 429: the key's (or the upstream's) rate limit. */
    RATE_LIMIT(429),
    /** 500: anything else that went wrong. */
    API_ERROR(500),
    /** 503/529: the upstream is overloaded or its circuit breaker is open. */
    OVERLOADED(503),
    /** 504: the upstream did not answer in time. */
    TIMEOUT(504);

    private final int defaultStatus;

    ErrorType(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    public int defaultStatus() {
        return defaultStatus;
    }
}
