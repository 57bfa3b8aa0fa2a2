package dev.camelllm.gateway;

import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The chat and embeddings routes' header filter: of the client's HTTP headers only trace context becomes a
 * Camel header (Camel's tracing continues the client's trace from it when the exchange starts). The gateway
 * reads what else it needs (key, request id, Cache-Control, CORS) from the Vert.x request itself and removes
 * every header before the llm: step anyway (a client's header must never set a CamelLlm* option), so copying
 * them all into the exchange first was work thrown away on every request. What goes out is filtered as
 * platform-http would.
 */
final class ClientHeadersDropped implements HeaderFilterStrategy {

    private final HeaderFilterStrategy outbound;

    ClientHeadersDropped(HeaderFilterStrategy outbound) {
        this.outbound = outbound;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !isTraceContext(headerName);
    }

    /** W3C trace context and baggage, B3 and Jaeger: what OpenTelemetry's propagators read. */
    static boolean isTraceContext(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("traceparent") || n.equals("tracestate") || n.equals("baggage") || n.equals("b3")
                || n.startsWith("x-b3-") || n.equals("uber-trace-id") || n.startsWith("uberctx-");
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return outbound != null && outbound.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
