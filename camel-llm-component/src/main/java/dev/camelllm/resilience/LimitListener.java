package dev.camelllm.resilience;

import java.time.Duration;

/** Told when a group's own limits made a call wait or refused it (for metrics). Must not throw. */
public interface LimitListener {

    /** Names of the limits in {@link #rejected}. */
    String RATE_LIMIT = "rate_limit";
    String CONCURRENCY = "concurrency";
    String CIRCUIT_BREAKER = "circuit_breaker";

    LimitListener NONE = new LimitListener() {
    };

    /** A call waited this long for rate-limit capacity (only waits longer than zero are reported). */
    default void waited(String group, Duration wait) {
    }

    /** A call was refused by a limit: {@link #RATE_LIMIT}, {@link #CONCURRENCY} or {@link #CIRCUIT_BREAKER}. */
    default void rejected(String group, String limit) {
    }
}
