package dev.camelllm.provider.onnx;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;

/**
 * How many generations run at once on one loaded model (the device's memory and cores are the limit),
 * with a bounded, fair queue in front: a request waits its turn for at most the endpoint's timeout, and
 * a request that finds the queue full fails at once with a retryable error instead of piling up.
 */
final class GenerationLimiter {

    private final Semaphore slots;
    private final int maxConcurrent;
    private final int maxQueued;
    private final AtomicInteger waiting = new AtomicInteger();

    GenerationLimiter(int maxConcurrent, int maxQueued) {
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /** A slot to generate in; release it exactly once through the returned permit. */
    Permit acquire(long timeoutMs, String provider, String model) {
        if (slots.tryAcquire()) {
            return new Permit();
        }
        if (waiting.incrementAndGet() > maxQueued) {
            waiting.decrementAndGet();
            throw new LlmException(ErrorKind.PROVIDER, provider, model, "all " + maxConcurrent
                    + " generation slots are busy and " + maxQueued + " requests are already queued "
                    + "(maxConcurrentGenerations / maxQueuedGenerations)");
        }
        try {
            if (!slots.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new LlmTimeoutException(provider, model, "the deadline ran out: no generation slot free within "
                        + timeoutMs + " ms, the call's time left (maxConcurrentGenerations reached)", null);
            }
            return new Permit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorKind.CANCELLED, provider, model, "interrupted while waiting for a generation slot", e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    int queued() {
        return waiting.get();
    }

    /** One generation slot; {@link #release()} is idempotent. */
    final class Permit {
        private final AtomicInteger released = new AtomicInteger();

        void release() {
            if (released.compareAndSet(0, 1)) {
                slots.release();
            }
        }
    }
}
