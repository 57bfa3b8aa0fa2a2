package dev.camelllm.component;

import java.util.List;
import java.util.function.BiFunction;

import org.apache.camel.Exchange;

import dev.camelllm.api.ChatRequest;
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
                LlmEndpoint fallback = primary.profileEndpoint(profile);
                try {
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
