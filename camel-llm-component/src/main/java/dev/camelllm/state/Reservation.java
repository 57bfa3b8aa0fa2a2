package dev.camelllm.state;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a budget reservation took: the estimate held against the budget until the call's real cost is known.
 * {@link #settle} replaces the estimate by the real amount, once; a refused reservation holds nothing.
 */
public final class Reservation {

    private final StateStore store;
    private final String key;
    private final long reservedNanos;
    private final long committedNanos;
    private final boolean granted;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(StateStore store, String key, long reservedNanos, long committedNanos, boolean granted) {
        this.store = store;
        this.key = key;
        this.reservedNanos = reservedNanos;
        this.committedNanos = committedNanos;
        this.granted = granted;
        if (!granted) {
            settled.set(true);
        }
    }

    /** Whether the budget had room: when false, the call must be refused. */
    public boolean granted() {
        return granted;
    }

    /** Spent plus held by calls in flight, before this reservation (nano-USD). */
    public long committedNanos() {
        return committedNanos;
    }

    public long reservedNanos() {
        return reservedNanos;
    }

    public String key() {
        return key;
    }

    /**
     * Charges the real amount in place of the estimate (0 for a call that cost nothing, e.g. an upstream
     * error). Only the first settle counts; a failure to reach the store leaves the estimate charged.
     */
    public void settle(long actualNanos) {
        if (settled.compareAndSet(false, true)) {
            store.settle(this, Math.max(0, actualNanos));
        }
    }
}
