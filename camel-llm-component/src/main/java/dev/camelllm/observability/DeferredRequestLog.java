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

    /** The step's record and how to redact it: the fields are built only if a line is written (INFO on, or a 5xx). */
    private RequestRecord record;
    private RequestLog.Redaction redaction;
    private Map<String, String> fields;

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

    synchronized void accept(RequestRecord finished, RequestLog.Redaction redactedBy) {
        record = finished;
        redaction = redactedBy;
        fields = null;
    }

    /**
     * The llm: step's fields ({@link RequestLog#fields}'s names, values redacted, absent ones left out), or
     * null while the step has not finished (or never ran).
     */
    public synchronized Map<String, String> fields() {
        RequestRecord r = record;
        if (r == null) {
            return null;
        }
        if (fields == null) {
            Map<String, String> all = RequestLog.redactedFields(r, redaction);
            all.values().removeIf(java.util.Objects::isNull);
            fields = Map.copyOf(all);
        }
        return fields;
    }
}
