package dev.camelllm.http;

import java.time.Duration;

import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * The two waits a cloud provider applies: the whole blocking call ({@code timeout}), and each read of a
 * stream ({@code streamIdleTimeout}, else {@code timeout}), which also bounds the wait for its headers.
 * A call's own time left may make either shorter.
 */
public record Timeouts(Duration request, Duration streamRead) {

    public static Timeouts of(ProviderSettings settings) {
        return new Timeouts(settings.timeout(), settings.streamReadTimeout());
    }

    /** The smaller of {@code limit} and the call's time left. */
    public static Duration within(Duration limit, CallContext call) {
        Duration left = call.timeLeft();
        return left.compareTo(limit) < 0 ? left : limit;
    }
}
