package dev.camelllm.state;

/**
 * One slot of a concurrency cap, held until {@link #release()}. A shared store's lease also expires by itself
 * when its instance stops renewing it (the instance died), so a crash never keeps a slot taken for good.
 */
public interface Lease {

    /** Gives the slot back; only the first call counts. */
    void release();
}
