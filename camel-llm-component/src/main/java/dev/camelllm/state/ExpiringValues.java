package dev.camelllm.state;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Plain values with an expiry, kept in the same server as the limits and budgets (the exact response cache's
 * entries live here when the state store is shared). Keys are namespaced by the store. A read is bounded by
 * the store's timeout and throws {@link StateStoreUnavailableException} rather than wait longer.
 */
public interface ExpiringValues {

    /** The value at {@code key}, or null when there is none (or it expired). */
    String get(String key);

    /**
     * Sets {@code key} to {@code value}, to expire after {@code ttl}. Sent, not waited for: the stage completes
     * when the server has set it, or fails with {@link StateStoreUnavailableException} (within the store's
     * timeout). A later read over the same connection sees the value.
     */
    CompletionStage<Void> set(String key, String value, Duration ttl);
}
