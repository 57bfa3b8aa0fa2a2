package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Retries, rate limits, the concurrency cap, the circuit breaker and the fallback chains of an endpoint's group.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmResilienceOptions extends LlmTimeoutOptions {

    @UriParam(label = "resilience",
              description = "Retries after a failed attempt (provider errors, network errors, timeouts, 429 rate limits), with exponential backoff and jitter; per-request errors are never retried. Defaults from RETRY_MAX_RETRIES, else 3.")
    private Integer maxRetries;
    @UriParam(label = "resilience",
              description = "Milliseconds before the first retry. Defaults from RETRY_INITIAL_DELAY_MS, else 1000.")
    private Long retryInitialDelay;
    @UriParam(label = "resilience", defaultValue = "2.0",
              description = "Factor by which the backoff grows with each retry.")
    private double retryMultiplier = 2.0;
    @UriParam(label = "resilience",
              description = "Upper bound in milliseconds of one backoff. Defaults from RETRY_MAX_DELAY_MS, else 10000.")
    private Long retryMaxDelay;
    @UriParam(label = "resilience", defaultValue = "0.2",
              description = "Random spread of each backoff, as a fraction of it (0.2 = plus or minus 20 %).")
    private double retryJitter = 0.2;
    @UriParam(label = "resilience", defaultValue = "60000",
              description = "Upper bound in milliseconds on the wait a retry-after / retry-after-ms header asks for.")
    private long maxRetryAfter = 60000L;
    @UriParam(label = "resilience",
              description = "Requests per minute allowed to this endpoint's group (token bucket). Defaults from RATE_LIMIT_PER_MINUTE; 0 or unset means no limit.")
    private Integer rateLimitPerMinute;
    @UriParam(label = "resilience",
              description = "Requests per hour allowed to this endpoint's group. Defaults from RATE_LIMIT_PER_HOUR; 0 or unset means no limit.")
    private Integer rateLimitPerHour;
    @UriParam(label = "resilience", defaultValue = "0",
              description = "Tokens (input plus output) per minute allowed to this endpoint's group: estimated before each call, corrected from the real usage after it. 0 means no limit.")
    private int tokensPerMinute = 0;
    @UriParam(label = "resilience", defaultValue = "wait", enums = "wait,fail",
              description = "At a rate limit: wait (up to rateLimitMaxWait) or fail at once with a typed error.")
    private String rateLimitMode = "wait";
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds a call may wait for the rate limit before it fails.")
    private long rateLimitMaxWait = 30000L;
    @UriParam(label = "resilience",
              description = "Most requests in flight at once in this endpoint's group (a bulkhead; a stream counts until it ends). Defaults from MAX_CONCURRENT_REQUESTS; 0 or unset means no cap.")
    private Integer maxConcurrentRequests;
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds a request may wait for a free slot under maxConcurrentRequests before it fails.")
    private long maxConcurrentWait = 30000L;
    @UriParam(label = "resilience", defaultValue = "1000",
              description = "Most calls in flight at once through this endpoint's profile (a stream counts until it ends); one more is shed at once with a retryable OVERLOADED error, never queued. The component's maxInFlight caps all profiles together.")
    private int maxInFlight = 1000;
    @UriParam(label = "resilience",
              description = "Endpoints of the same group share their rate limits, concurrency cap and circuit breaker. Defaults to the provider, its base URL (for onnx: the model) and a hash of the API key; endpoints of one group must set the same limits, else they fail at start.")
    private String resilienceGroup;
    @UriParam(label = "resilience", defaultValue = "false",
              description = "Open a circuit breaker for this endpoint's group when provider failures (5xx, overload, network, timeouts) pass circuitBreakerFailureRate; per-request errors never count.")
    private boolean circuitBreaker = false;
    @UriParam(label = "resilience", defaultValue = "50",
              description = "Failure rate in percent at which the breaker opens.")
    private float circuitBreakerFailureRate = 50f;
    @UriParam(label = "resilience", defaultValue = "5",
              description = "Calls the breaker needs to see before it computes a failure rate.")
    private int circuitBreakerMinimumCalls = 5;
    @UriParam(label = "resilience", defaultValue = "30000",
              description = "Milliseconds the breaker stays open before it lets one trial call through.")
    private long circuitBreakerOpenDuration = 30000L;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles (llm: endpoint names) tried in order when this one fails with a provider error, an exhausted rate limit or an open breaker. Never after output has started.")
    private String fallbacks;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles tried in order when the prompt does not fit this model's context window (e.g. a larger-context model).")
    private String contextWindowFallbacks;
    @UriParam(label = "resilience",
              description = "Comma-separated profiles tried in order when this provider refuses the content (content filter or refusal).")
    private String contentPolicyFallbacks;

    public Integer getMaxRetries() {
        return maxRetries;
    }

    /** Retries after a failed attempt (provider errors, network errors, timeouts, 429 rate limits), with exponential backoff and jitter; per-request errors are never retried. Defaults from RETRY_MAX_RETRIES, else 3. */
    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Long getRetryInitialDelay() {
        return retryInitialDelay;
    }

    /** Milliseconds before the first retry. Defaults from RETRY_INITIAL_DELAY_MS, else 1000. */
    public void setRetryInitialDelay(Long retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public double getRetryMultiplier() {
        return retryMultiplier;
    }

    /** Factor by which the backoff grows with each retry. */
    public void setRetryMultiplier(double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public Long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    /** Upper bound in milliseconds of one backoff. Defaults from RETRY_MAX_DELAY_MS, else 10000. */
    public void setRetryMaxDelay(Long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public double getRetryJitter() {
        return retryJitter;
    }

    /** Random spread of each backoff, as a fraction of it (0.2 = plus or minus 20 %). */
    public void setRetryJitter(double retryJitter) {
        this.retryJitter = retryJitter;
    }

    public long getMaxRetryAfter() {
        return maxRetryAfter;
    }

    /** Upper bound in milliseconds on the wait a retry-after / retry-after-ms header asks for. */
    public void setMaxRetryAfter(long maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public Integer getRateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    /** Requests per minute allowed to this endpoint's group (token bucket). Defaults from RATE_LIMIT_PER_MINUTE; 0 or unset means no limit. */
    public void setRateLimitPerMinute(Integer rateLimitPerMinute) {
        this.rateLimitPerMinute = rateLimitPerMinute;
    }

    public Integer getRateLimitPerHour() {
        return rateLimitPerHour;
    }

    /** Requests per hour allowed to this endpoint's group. Defaults from RATE_LIMIT_PER_HOUR; 0 or unset means no limit. */
    public void setRateLimitPerHour(Integer rateLimitPerHour) {
        this.rateLimitPerHour = rateLimitPerHour;
    }

    public int getTokensPerMinute() {
        return tokensPerMinute;
    }

    /** Tokens (input plus output) per minute allowed to this endpoint's group: estimated before each call, corrected from the real usage after it. 0 means no limit. */
    public void setTokensPerMinute(int tokensPerMinute) {
        this.tokensPerMinute = tokensPerMinute;
    }

    public String getRateLimitMode() {
        return rateLimitMode;
    }

    /** At a rate limit: wait (up to rateLimitMaxWait) or fail at once with a typed error. */
    public void setRateLimitMode(String rateLimitMode) {
        this.rateLimitMode = rateLimitMode;
    }

    public long getRateLimitMaxWait() {
        return rateLimitMaxWait;
    }

    /** Milliseconds a call may wait for the rate limit before it fails. */
    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        this.rateLimitMaxWait = rateLimitMaxWait;
    }

    public Integer getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** Most requests in flight at once in this endpoint's group (a bulkhead; a stream counts until it ends). Defaults from MAX_CONCURRENT_REQUESTS; 0 or unset means no cap. */
    public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public long getMaxConcurrentWait() {
        return maxConcurrentWait;
    }

    /** Milliseconds a request may wait for a free slot under maxConcurrentRequests before it fails. */
    public void setMaxConcurrentWait(long maxConcurrentWait) {
        this.maxConcurrentWait = maxConcurrentWait;
    }

    public String getResilienceGroup() {
        return resilienceGroup;
    }

    /** Endpoints of the same group share their rate limits, concurrency cap and circuit breaker. Defaults to the provider, its base URL (for onnx: the model) and a hash of the API key; endpoints of one group must set the same limits, else they fail at start. */
    public void setResilienceGroup(String resilienceGroup) {
        this.resilienceGroup = resilienceGroup;
    }

    public boolean isCircuitBreaker() {
        return circuitBreaker;
    }

    /** Open a circuit breaker for this endpoint's group when provider failures (5xx, overload, network, timeouts) pass circuitBreakerFailureRate; per-request errors never count. */
    public void setCircuitBreaker(boolean circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    public float getCircuitBreakerFailureRate() {
        return circuitBreakerFailureRate;
    }

    /** Failure rate in percent at which the breaker opens. */
    public void setCircuitBreakerFailureRate(float circuitBreakerFailureRate) {
        this.circuitBreakerFailureRate = circuitBreakerFailureRate;
    }

    public int getCircuitBreakerMinimumCalls() {
        return circuitBreakerMinimumCalls;
    }

    /** Calls the breaker needs to see before it computes a failure rate. */
    public void setCircuitBreakerMinimumCalls(int circuitBreakerMinimumCalls) {
        this.circuitBreakerMinimumCalls = circuitBreakerMinimumCalls;
    }

    public long getCircuitBreakerOpenDuration() {
        return circuitBreakerOpenDuration;
    }

    /** Milliseconds the breaker stays open before it lets one trial call through. */
    public void setCircuitBreakerOpenDuration(long circuitBreakerOpenDuration) {
        this.circuitBreakerOpenDuration = circuitBreakerOpenDuration;
    }

    public String getFallbacks() {
        return fallbacks;
    }

    /** Comma-separated profiles (llm: endpoint names) tried in order when this one fails with a provider error, an exhausted rate limit or an open breaker. Never after output has started. */
    public void setFallbacks(String fallbacks) {
        this.fallbacks = fallbacks;
    }

    public String getContextWindowFallbacks() {
        return contextWindowFallbacks;
    }

    /** Comma-separated profiles tried in order when the prompt does not fit this model's context window (e.g. a larger-context model). */
    public void setContextWindowFallbacks(String contextWindowFallbacks) {
        this.contextWindowFallbacks = contextWindowFallbacks;
    }

    public String getContentPolicyFallbacks() {
        return contentPolicyFallbacks;
    }

    /** Comma-separated profiles tried in order when this provider refuses the content (content filter or refusal). */
    public void setContentPolicyFallbacks(String contentPolicyFallbacks) {
        this.contentPolicyFallbacks = contentPolicyFallbacks;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /** Most calls in flight at once through this endpoint's profile; one more is shed at once. */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }
}
