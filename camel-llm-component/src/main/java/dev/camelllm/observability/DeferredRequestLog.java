package dev.camelllm.observability;

import java.util.Map;

import org.apache.camel.Exchange;

import dev.camelllm.component.LlmConstants;

/**
 * For a caller that owns the whole request and writes its one log line itself (the gateway: its line also
 * says who called, the HTTP status and its own overhead). Attached to the exchange, it gives the llm: step
 * the request's id (so that the log line, the caller's response header and the component's records of
 * the request share one id) and takes the step's fields instead of letting the step write a line of its
 * own.
 */
public final class DeferredRequestLog {

    /** The exchange property that holds it. */
    public static final String PROPERTY = "CamelLlmDeferredRequestLog";

    private volatile Map<String, String> fields;

    private DeferredRequestLog() {
    }

    /** Attaches a deferred log to the exchange, with the request's id for every record of it. */
    public static DeferredRequestLog attach(Exchange exchange, String requestId) {
        DeferredRequestLog log = new DeferredRequestLog();
        exchange.setProperty(PROPERTY, log);
        exchange.setProperty(LlmConstants.REQUEST_ID_PROPERTY, requestId);
        return log;
    }

    static DeferredRequestLog of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, DeferredRequestLog.class);
    }

    void accept(Map<String, String> redactedFields) {
        this.fields = Map.copyOf(redactedFields.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * The llm: step's fields ({@link RequestLog#fields}'s names, values redacted, absent ones left out), or
     * null while the step has not finished (or never ran).
     */
    public Map<String, String> fields() {
        return fields;
    }
}
