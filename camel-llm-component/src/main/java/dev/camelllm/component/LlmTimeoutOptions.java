package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * How long a call may wait for the upstream: the whole answer, the first token, the gap between chunks.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmTimeoutOptions extends LlmOperationOptions {

    @UriParam(label = "timeouts", defaultValue = "300000",
              description = "Milliseconds the whole call may take, over every attempt, retry backoff, rate-limit and concurrency wait and fallback (the CamelLlmDeadline header overrides it per exchange). Each attempt gets the time that is left; when it has passed the call fails with a TIMEOUT error that says what used the time. A stream must produce its first output within it; after that streamIdleTimeout applies.")
    private long deadline = 300000L;
    @UriParam(label = "timeouts", defaultValue = "120000",
              description = "Milliseconds to wait for data from the upstream: the whole answer when not streaming, the first byte and each further chunk when streaming.")
    private long timeout = 120000L;
    @UriParam(label = "timeouts", defaultValue = "0",
              description = "Milliseconds a stream may take to produce its first output (text, thinking or tool call); then it is retried or falls back. 0 means only timeout applies.")
    private long firstTokenTimeout = 0L;
    @UriParam(label = "timeouts", defaultValue = "0",
              description = "Milliseconds a stream may stall between two chunks before it fails. 0 means the timeout option.")
    private long streamIdleTimeout = 0L;

    public long getTimeout() {
        return timeout;
    }

    /** Milliseconds to wait for data from the upstream: the whole answer when not streaming, the first byte and each further chunk when streaming. */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getFirstTokenTimeout() {
        return firstTokenTimeout;
    }

    /** Milliseconds a stream may take to produce its first output (text, thinking or tool call); then it is retried or falls back. 0 means only timeout applies. */
    public void setFirstTokenTimeout(long firstTokenTimeout) {
        this.firstTokenTimeout = firstTokenTimeout;
    }

    public long getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    /** Milliseconds a stream may stall between two chunks before it fails. 0 means the timeout option. */
    public void setStreamIdleTimeout(long streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
    }


    public long getDeadline() {
        return deadline;
    }

    /** Milliseconds the whole call may take, over every attempt, wait and fallback. */
    public void setDeadline(long deadline) {
        this.deadline = deadline;
    }
}
