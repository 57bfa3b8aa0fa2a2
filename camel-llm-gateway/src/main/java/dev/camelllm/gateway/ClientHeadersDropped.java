package dev.camelllm.gateway;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The chat and embeddings routes' header filter: of the client's HTTP headers only trace context becomes a
 * Camel header (Camel's tracing continues the client's trace from it when the exchange starts). The gateway
 * reads what else it needs (key, request id, Cache-Control, CORS) from the Vert.x request itself and removes
 * every header before the llm: step anyway (a client's header must never set a CamelLlm* option), so copying
 * them all into the exchange first was work thrown away on every request. Trace context is W3C, B3 and
 * Jaeger's headers, and whatever else the OpenTelemetry in use says its propagators read (a custom
 * propagator's header), asked once at the first request. What goes out is filtered as platform-http would.
 */
final class ClientHeadersDropped implements HeaderFilterStrategy {

    private final HeaderFilterStrategy outbound;
    private final Supplier<Collection<String>> propagationFields;
    private volatile Set<String> extra;

    ClientHeadersDropped(HeaderFilterStrategy outbound, Supplier<Collection<String>> propagationFields) {
        this.outbound = outbound;
        this.propagationFields = propagationFields;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !isTraceContext(headerName) && !extra().contains(headerName.toLowerCase(Locale.ROOT));
    }

    /** The propagators' own header names, lower-cased (HTTP header names are case-insensitive). */
    private Set<String> extra() {
        Set<String> e = extra;
        if (e == null) {
            e = propagationFields.get().stream().map(n -> n.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            extra = e;
        }
        return e;
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
