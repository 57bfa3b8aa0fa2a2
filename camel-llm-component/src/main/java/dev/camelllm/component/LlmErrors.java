package dev.camelllm.component;

import org.apache.camel.Exchange;

/**
 * Route helpers for llm: errors. A failed llm: step leaves its exception in the {@code CamelLlmError}
 * header as well. That lets a route catch a rejected request inside Camel's circuitBreaker EIP (a
 * rejection says nothing about the provider's health, so the breaker should count the call as a success)
 * and fail the exchange with the original error once out of the EIP:
 *
 * <pre>
 * - circuitBreaker:
 *     steps:
 *       - doTry:
 *           steps:
 *             - to: llm:cloud
 *           doCatch:
 *             - exception: [dev.camelllm.api.LlmRejectedException]
 *     onFallback: ...
 * - bean:
 *     beanType: dev.camelllm.component.LlmErrors
 *     method: rethrow
 * </pre>
 *
 * (Camel's own {@code ignoreException} does not fit: the EIP clears an ignored exception and goes on as if
 * the call had answered, with the prompt still in the body.)
 */
public final class LlmErrors {

    private LlmErrors() {
    }

    /** Fails the exchange with the error a caught llm: step left behind, if any. */
    public static void rethrow(Exchange exchange) throws Exception {
        Object error = exchange.getMessage().removeHeader(LlmConstants.ERROR);
        if (error instanceof Exception e) {
            throw e;
        }
    }
}
