package dev.camelllm.resilience;

/** What it took to get one answer: attempts made and time spent waiting for limits and backoff. */
public final class CallStats {

    private volatile int attempts;
    private volatile long waitedMs;

    void attempt() {
        attempts++;
    }

    void waited(long ms) {
        waitedMs += ms;
    }

    public int attempts() {
        return attempts;
    }

    /** Milliseconds spent in backoff between attempts. */
    public long waitedMs() {
        return waitedMs;
    }
}
