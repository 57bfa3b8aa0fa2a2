package dev.camelllm.spi;

import java.util.Map;

/**
 * What a provider says about its own health, for the llm: producer health check: up or down, a short
 * reason, and details (plain values; never a key or a prompt).
 */
public record ProviderHealth(boolean up, String reason, Map<String, Object> details) {

    public ProviderHealth {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ProviderHealth up(String reason, Map<String, Object> details) {
        return new ProviderHealth(true, reason, details);
    }

    public static ProviderHealth down(String reason, Map<String, Object> details) {
        return new ProviderHealth(false, reason, details);
    }
}
