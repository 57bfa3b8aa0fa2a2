package dev.camelllm.http;

import java.time.Duration;

import dev.camelllm.component.LlmConfiguration;

/**
 * The two waits a cloud provider applies: the whole blocking call ({@code timeout}), and each read of a
 * stream ({@code streamIdleTimeout}, else {@code timeout}), which also bounds the wait for its headers.
 */
public record Timeouts(Duration request, Duration streamRead) {

    public static Timeouts of(LlmConfiguration config) {
        return new Timeouts(Duration.ofMillis(config.getTimeout()), Duration.ofMillis(config.streamReadTimeoutMillis()));
    }
}
