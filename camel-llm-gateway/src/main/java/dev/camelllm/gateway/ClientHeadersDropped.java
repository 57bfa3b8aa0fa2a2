package dev.camelllm.gateway;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The chat and embeddings routes' header filter: none of the client's HTTP headers becomes a Camel header.
 * The gateway reads what it needs (key, request id, Cache-Control, CORS) from the Vert.x request itself
 * and removes every header before the llm: step anyway (a client's header must never set a CamelLlm*
 * option), so copying them into the exchange first was work thrown away on every request. What goes out
 * is filtered as platform-http would.
 */
final class ClientHeadersDropped implements HeaderFilterStrategy {

    private final HeaderFilterStrategy outbound;

    ClientHeadersDropped(HeaderFilterStrategy outbound) {
        this.outbound = outbound;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return outbound != null && outbound.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
