package dev.camelllm.state;

import java.time.Duration;
import java.util.Locale;

/** Builds the store that the {@code stateStore} option names. */
public final class StateStores {

    public static final String MEMORY = "memory";
    public static final String FAIL_OPEN = "fail-open";
    public static final String FAIL_CLOSED = "fail-closed";
    /** How often a store that went down is asked whether it is back. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    private StateStores() {
    }

    /**
     * @param uri         "memory" (or empty), {@code redis://host:port} or {@code rediss://host:port}
     * @param password    the server's password, or null
     * @param failureMode fail-open or fail-closed
     * @param timeout     the longest wait for one answer of a remote store
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static StateStore create(String uri, String password, String failureMode, Duration timeout) {
        if (uri == null || uri.isBlank() || MEMORY.equalsIgnoreCase(uri.trim())) {
            return new MemoryStateStore();
        }
        String u = uri.trim();
        String scheme = u.contains("://") ? u.substring(0, u.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            // the value may carry a password: name the scheme only
            throw new IllegalArgumentException("Invalid value of option 'stateStore': 'memory', redis://host:port or "
                    + "rediss://host:port (TLS), not a URI with scheme '" + scheme + "'");
        }
        boolean failOpen;
        if (failureMode == null || FAIL_OPEN.equalsIgnoreCase(failureMode)) {
            failOpen = true;
        } else if (FAIL_CLOSED.equalsIgnoreCase(failureMode)) {
            failOpen = false;
        } else {
            throw new IllegalArgumentException("Invalid value '" + failureMode
                    + "' of option 'stateStoreFailureMode': one of fail-open, fail-closed");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Invalid value of option 'stateStoreTimeout': milliseconds, 1 or more");
        }
        RedisStateStore redis;
        try {
            redis = new RedisStateStore(u, password, timeout);
        } catch (RuntimeException e) {
            // RedisURI's message may quote the URI, and the URI may hold a password: name the kind of error only
            throw new IllegalArgumentException("Invalid value of option 'stateStore' (" + scheme
                    + "://…): not a Redis URI (" + e.getClass().getSimpleName() + ")");
        }
        return new FailoverStateStore(redis, failOpen, PROBE_INTERVAL);
    }
}
