package dev.camelllm.resilience;

/** What it took to get one answer: the attempts made, over retries and fallbacks. */
public final class CallStats {

    private volatile int attempts;

    void attempt() {
        attempts++;
    }

    public int attempts() {
        return attempts;
    }
}
