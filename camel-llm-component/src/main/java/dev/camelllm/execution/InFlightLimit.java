package dev.camelllm.execution;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on calls in flight that never waits: a call either gets a place at once or is shed. The global cap
 * of the component and each endpoint's own cap are one of these.
 */
public final class InFlightLimit {

    private final String name;
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimit(String name, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + max);
        }
        this.name = name;
        this.max = max;
    }

    /** Takes a place; false when all {@link #max()} are taken. */
    public boolean tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (now >= max) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int max() {
        return max;
    }

    /** The option that sets this cap, for error messages. */
    public String name() {
        return name;
    }
}
