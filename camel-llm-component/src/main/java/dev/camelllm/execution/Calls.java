package dev.camelllm.execution;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmOverloadedException;

/**
 * The component's calls in flight: where they run ({@link CallThreads}), the global cap on how many may be
 * in flight at once ({@code maxInFlight}), and the set of open calls, so that stopping the component
 * cancels them and frees their connections. Admission never waits: a call over a cap is shed at once with
 * a typed, retryable {@link dev.camelllm.api.LlmOverloadedException}.
 */
public final class Calls implements AutoCloseable {

    /** What a shed caller is told to wait before trying again. */
    public static final Duration SHED_RETRY_AFTER = Duration.ofSeconds(1);

    private final CallThreads threads;
    private final InFlightLimit global;
    private final Set<Call> open = ConcurrentHashMap.newKeySet();

    public Calls(CallThreads threads, int maxInFlight) {
        this.threads = threads;
        this.global = new InFlightLimit("globalMaxInFlight", maxInFlight);
    }

    /**
     * The calls of a component's settings, checked: the option names in the errors are the component's.
     *
     * @throws LlmConfigurationException naming the option and the fix
     */
    public static Calls create(String executionMode, int platformThreads, int globalMaxInFlight) {
        if (globalMaxInFlight <= 0) {
            throw new LlmConfigurationException("Invalid value '" + globalMaxInFlight + "' of component option "
                    + "'globalMaxInFlight': must be at least 1 (the most calls in flight at once; more are shed), e.g. 10000");
        }
        if (platformThreads <= 0) {
            throw new LlmConfigurationException("Invalid value '" + platformThreads + "' of component option "
                    + "'platformThreads': must be at least 1, e.g. 200");
        }
        CallThreads threads;
        try {
            threads = CallThreads.create(mode(executionMode), platformThreads, "llm-call");
        } catch (IllegalStateException e) {
            throw new LlmConfigurationException("Component option 'executionMode': " + e.getMessage());
        }
        return new Calls(threads, globalMaxInFlight);
    }

    /** Whether an executionMode runs calls on virtual threads on this JVM; a configuration error when it cannot. */
    public static boolean usesVirtualThreads(String executionMode) {
        try {
            return CallThreads.usesVirtualThreads(mode(executionMode));
        } catch (IllegalStateException e) {
            throw new LlmConfigurationException("Component option 'executionMode': " + e.getMessage());
        }
    }

    private static CallThreads.Mode mode(String executionMode) {
        try {
            return CallThreads.Mode.valueOf(executionMode.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new LlmConfigurationException("Invalid value '" + executionMode + "' of component option "
                    + "'executionMode': must be one of auto, virtual, platform");
        }
    }

    public CallThreads threads() {
        return threads;
    }

    public InFlightLimit global() {
        return global;
    }

    /** Calls open now (in flight, or streaming). */
    public int open() {
        return open.size();
    }

    /**
     * Opens a call: a place under the global cap and under the profile's own cap, and its deadline.
     *
     * @throws LlmOverloadedException when a cap is full
     */
    public Call open(Duration deadline, InFlightLimit profile, String profileName) {
        if (!global.tryAcquire()) {
            throw shed("the component", global);
        }
        if (profile != null && !profile.tryAcquire()) {
            global.release();
            throw shed("profile '" + profileName + "'", profile);
        }
        Call call = new Call(deadline);
        call.holds(global);
        if (profile != null) {
            call.holds(profile);
        }
        open.add(call);
        return call;
    }

    /** Ends a call: gives back its places. Idempotent. */
    public void finish(Call call) {
        if (open.remove(call)) {
            call.releasePlaces();
        }
    }

    /** Cancels every open call (the component stops). */
    public void cancelAll(String reason) {
        for (Call call : open) {
            call.cancel(reason);
        }
    }

    public static LlmOverloadedException shed(String who, InFlightLimit limit) {
        return new LlmOverloadedException(SHED_RETRY_AFTER, "overloaded: " + limit.max() + " calls already in flight for " + who + " (" + limit.name()
                        + "); shed at once, retry later or raise " + limit.name());
    }

    @Override
    public void close() {
        cancelAll("the llm component stopped");
        threads.close();
    }
}
