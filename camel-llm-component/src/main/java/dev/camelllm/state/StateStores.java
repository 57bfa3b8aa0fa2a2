package dev.camelllm.state;

import java.time.Duration;
import java.util.Locale;

/** Builds the store that the {@code stateStore} option names. */
public final class StateStores {

    public static final String MEMORY = "memory";
    public static final String FAIL_OPEN = "fail-open";
    public static final String FAIL_CLOSED = "fail-closed";
    /** The default of the stateStoreLeaseFraction option: a thousandth of a bucket leased at once. */
    public static final double DEFAULT_LEASE_FRACTION = 0.001;
    /** The most of a bucket one instance may lease at once. */
    static final double MAX_LEASE_FRACTION = 0.1;
    /** How often a store that went down is asked whether it is back. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    private StateStores() {
    }

    /** A one-thread scheduler of daemon threads, for a store's background work (renewals, probes, flushes). */
    static java.util.concurrent.ScheduledExecutorService daemonScheduler(String threadName) {
        return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param uri         "memory" (or empty), {@code redis://host:port} or {@code rediss://host:port}
     * @param password    the server's password, or null
     * @param failureMode fail-open or fail-closed
     * @param timeout     the longest wait for one answer of a remote store
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static StateStore create(String uri, String password, String failureMode, Duration timeout) {
        return create(uri, password, failureMode, timeout, DEFAULT_LEASE_FRACTION);
    }

    /**
     * As {@link #create(String, String, String, Duration)}, with the part of a shared bucket's capacity an
     * instance leases at once (0: a round trip per decision).
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static StateStore create(String uri, String password, String failureMode, Duration timeout,
                                    double leaseFraction) {
        // checked with the memory store too, where it does nothing: a wrong value is wrong before it matters
        if (!(leaseFraction >= 0 && leaseFraction <= MAX_LEASE_FRACTION)) {
            throw new IllegalArgumentException("Invalid value " + leaseFraction + " of option 'stateStoreLeaseFraction': "
                    + "0 (a Redis round trip per decision) up to " + MAX_LEASE_FRACTION
                    + " (the part of a shared bucket's capacity an instance takes at once), e.g. 0.001");
        }
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
        return new FailoverStateStore(redis, failOpen, PROBE_INTERVAL, leaseFraction);
    }
}
