package dev.camelllm.execution;

/**
 * Told of each attempt a call makes (a first try or a retry, on the endpoint's provider or a fallback's),
 * so that observability can trace attempts without the resilience layer knowing about it.
 */
public interface AttemptObserver {

    AttemptObserver NONE = (number, provider, model) -> Attempt.NONE;

    /**
     * An attempt begins.
     *
     * @param number 1 for the first try on this provider, 2 for its first retry, …
     */
    Attempt begin(int number, String provider, String model);

    /** One attempt; {@link #end} is called once. */
    interface Attempt {

        Attempt NONE = error -> {
        };

        /** @param error null when the attempt answered (for a stream: its first output arrived) */
        void end(Throwable error);
    }
}
