package dev.camelllm.http;

import java.time.Duration;

/** Settings of the shared connection pool. */
public record HttpSettings(int maxConnections, int maxConnectionsPerRoute, Duration connectTimeout) {

    public static HttpSettings defaults() {
        return new HttpSettings(200, 50, Duration.ofSeconds(10));
    }
}
