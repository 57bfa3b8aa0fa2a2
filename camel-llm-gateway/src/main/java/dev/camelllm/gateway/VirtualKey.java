package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.state.TokenBucket;
import java.time.Duration;
import java.util.List;

/**
 * A gateway key after authentication: its name (for logs and metrics: never the secret), the models it may
 * use, and its own token buckets.
 */
public final class VirtualKey {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final String name;
    private final List<String> models;
    private final TokenBucket requests;
    private final TokenBucket tokens;

    VirtualKey(String name, GatewayConfiguration.KeySettings settings) {
        this.name = name;
        this.models = settings.getModels();
        this.requests = settings.getRequestsPerMinute() > 0 ? new TokenBucket(settings.getRequestsPerMinute(), MINUTE) : null;
        this.tokens = settings.getTokensPerMinute() > 0 ? new TokenBucket(settings.getTokensPerMinute(), MINUTE) : null;
    }

    public String name() {
        return name;
    }

    public boolean mayUse(String model) {
        return models.contains("*") || models.contains(model);
    }

    /**
     * Takes one request and the estimated tokens from the key's buckets, or refuses with a 429 that says
     * when to retry. A request refused by the token bucket gives its request back.
     */
    void admit(long estimatedTokens) {
        if (requests != null && !requests.tryAcquire(1)) {
            throw limited("requests per minute", requests.timeUntil(1));
        }
        if (tokens != null) {
            // a request larger than the whole bucket could never pass: charge at most the bucket
            long charge = Math.min(estimatedTokens, tokens.capacity());
            if (!tokens.tryAcquire(charge)) {
                if (requests != null) {
                    requests.adjust(-1);
                }
                throw limited("tokens per minute", tokens.timeUntil(charge));
            }
        }
    }

    /** Corrects the token bucket by what the answer really used. */
    void settle(long estimatedTokens, long actualTokens) {
        if (tokens != null && actualTokens > 0) {
            tokens.adjust(actualTokens - Math.min(estimatedTokens, tokens.capacity()));
        }
    }

    private RateLimitedException limited(String which, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new RateLimitedException(new GatewayError(429, ErrorType.RATE_LIMIT,
                "Rate limit of gateway key '" + name + "' reached (" + which + "); retry after " + seconds + " s",
                null, "rate_limit_exceeded"), seconds);
    }

    /** A 429 with the seconds to wait, for the {@code retry-after} header. */
    static final class RateLimitedException extends GatewayException {
        private final long retryAfterSeconds;

        RateLimitedException(GatewayError error, long retryAfterSeconds) {
            super(error);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
