package dev.camelllm.component;

import java.util.List;
import java.util.function.BiFunction;

import org.apache.camel.Exchange;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.execution.Call;
import dev.camelllm.execution.Calls;

/**
 * Runs a call on an endpoint and, when it fails in a way a fallback chain covers, on the chain's
 * profiles in order, all inside the call's one deadline. Each fallback builds its request afresh from the
 * exchange (its own model and options; the body is still the input), so no partial answer is ever passed
 * on. A fallback takes a place under its own profile's cap too; a full one counts as a failed fallback.
 */
final class FallbackRunner {

    record Answered<T>(T result, LlmEndpoint answeredBy, String fallback) {
    }

    private FallbackRunner() {
    }

    /**
     * The fallback's endpoint; one that cannot start (a bad profile) fails like a fallback that failed, so
     * that it neither hides the primary's error nor stops the chain.
     */
    private static LlmEndpoint usable(LlmEndpoint primary, String profile) {
        try {
            return primary.profileEndpoint(profile);
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LlmException(ErrorKind.CONFIGURATION, null, null, "fallback profile '" + profile
                    + "' cannot be used: " + cause.getMessage(), e);
        }
    }

    static <T> Answered<T> run(LlmEndpoint primary, ChatRequest request, Exchange exchange, Call call,
                               BiFunction<LlmEndpoint, ChatRequest, T> attempt) {
        try {
            return new Answered<>(attempt.apply(primary, request), primary, null);
        } catch (LlmException first) {
            List<String> chain = primary.fallbacksFor(first);
            if (chain.isEmpty() || call.isCancelled()) {
                throw first;
            }
            LlmException last = first;
            for (String profile : chain) {
                if (call.isCancelled() || call.expired()) {
                    LlmException stop = call.isCancelled() ? call.cancelled(null, null)
                            : call.deadlinePassed(null, null, null);
                    stop.addSuppressed(last);
                    throw stop;
                }
                long t0 = System.nanoTime();
                try {
                    LlmEndpoint fallback = usable(primary, profile);
                    if (fallback != primary && !call.tryHold(fallback.inFlight())) {
                        throw Calls.shed("profile '" + profile + "'", fallback.inFlight());
                    }
                    ChatRequest fallbackRequest = fallback.getRequestFactory().create(exchange, false);
                    return new Answered<>(attempt.apply(fallback, fallbackRequest), fallback, profile);
                } catch (LlmException e) {
                    call.spent("fallback '" + profile + "'", System.nanoTime() - t0);
                    e.addSuppressed(last);
                    last = e;
                }
            }
            throw last;
        }
    }
}
