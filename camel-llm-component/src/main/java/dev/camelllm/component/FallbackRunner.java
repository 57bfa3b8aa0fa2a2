package dev.camelllm.component;

import java.util.List;
import java.util.function.BiFunction;

import org.apache.camel.Exchange;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/**
 * Runs a call on an endpoint and, when it fails in a way a fallback chain covers, on the chain's
 * profiles in order. Each fallback builds its request afresh from the exchange (its own model and
 * options; the body is still the input), so no partial answer is ever passed on.
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

    static <T> Answered<T> run(LlmEndpoint primary, ChatRequest request, Exchange exchange,
                               BiFunction<LlmEndpoint, ChatRequest, T> call) {
        try {
            return new Answered<>(call.apply(primary, request), primary, null);
        } catch (LlmException first) {
            List<String> chain = primary.fallbacksFor(first);
            if (chain.isEmpty()) {
                throw first;
            }
            LlmException last = first;
            for (String profile : chain) {
                try {
                    LlmEndpoint fallback = usable(primary, profile);
                    ChatRequest fallbackRequest = fallback.getRequestFactory().create(exchange, false);
                    return new Answered<>(call.apply(fallback, fallbackRequest), fallback, profile);
                } catch (LlmException e) {
                    e.addSuppressed(last);
                    last = e;
                }
            }
            throw last;
        }
    }
}
