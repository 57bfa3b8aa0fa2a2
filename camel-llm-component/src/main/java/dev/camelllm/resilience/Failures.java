package dev.camelllm.resilience;

import java.util.EnumSet;
import java.util.Set;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/** Sorts failures into RELIABILITY.md's classes, for the breaker and the fallback chains. */
public final class Failures {

    private static final Set<ErrorKind> PROVIDER_FAILURES =
            EnumSet.of(ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.PROVIDER, ErrorKind.STREAM);

    private Failures() {
    }

    /** A failure of the provider (down, overloaded, unreachable, too slow), not of this request. */
    public static boolean isProviderFailure(Throwable t) {
        return t instanceof LlmException e && !(e instanceof LocalLimitException) && PROVIDER_FAILURES.contains(e.kind());
    }

    /** Failures a general fallback chain answers: provider failures, exhausted rate limits, an open breaker. */
    public static boolean isFallbackWorthy(Throwable t) {
        if (t instanceof LocalLimitException e) {
            return e.kind() != ErrorKind.CANCELLED;
        }
        // OVERLOADED: a full profile cap; another profile of the chain may have room
        return isProviderFailure(t) || (t instanceof LlmException e
                && (e.kind() == ErrorKind.RATE_LIMIT || e.kind() == ErrorKind.OVERLOADED));
    }
}
