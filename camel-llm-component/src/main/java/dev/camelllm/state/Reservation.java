package dev.camelllm.state;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a budget reservation took: the estimate held against the budget until the call's real cost is known.
 * {@link #settle} replaces the estimate by the real amount, once; a refused reservation holds nothing.
 */
public final class Reservation {

    private final StateStore store;
    private final String key;
    private final long reservedMicros;
    private final long committedMicros;
    private final boolean granted;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(StateStore store, String key, long reservedMicros, long committedMicros, boolean granted) {
        this.store = store;
        this.key = key;
        this.reservedMicros = reservedMicros;
        this.committedMicros = committedMicros;
        this.granted = granted;
        if (!granted) {
            settled.set(true);
        }
    }

    /** Whether the budget had room: when false, the call must be refused. */
    public boolean granted() {
        return granted;
    }

    /** Spent plus held by calls in flight, before this reservation (micro-USD). */
    public long committedMicros() {
        return committedMicros;
    }

    public long reservedMicros() {
        return reservedMicros;
    }

    public String key() {
        return key;
    }

    /**
     * Charges the real amount in place of the estimate (0 for a call that cost nothing, e.g. an upstream
     * error). Only the first settle counts; a failure to reach the store leaves the estimate charged.
     */
    public void settle(long actualMicros) {
        if (settled.compareAndSet(false, true)) {
            store.settle(this, Math.max(0, actualMicros));
        }
    }
}
