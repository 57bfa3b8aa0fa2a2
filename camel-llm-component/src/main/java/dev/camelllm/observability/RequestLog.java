package dev.camelllm.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import dev.camelllm.api.Usage;

/**
 * One structured line per request at INFO on the logger {@code dev.camelllm.requests}: key="value" pairs in
 * the message, every value quoted and escaped so that text a client or an upstream chose cannot add a field
 * or a line, and the same pairs as SLF4J key-values (Log4j 2 puts them in the context map, so a JSON layout
 * writes them as fields). Prompts and completions are logged at DEBUG, only when an endpoint asks for it
 * (logPrompts). Every value has already lost its secrets; the line is redacted once more. A caller that
 * owns the whole request (the gateway) writes the line itself, with these fields in it
 * ({@link DeferredRequestLog}).
 */
public final class RequestLog {

    public static final String LOGGER = "dev.camelllm.requests";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_ERROR_CHARS = 300;

    private RequestLog() {
    }

    /** The fields of the line, in order. */
    public static Map<String, String> fields(RequestRecord r) {
        Map<String, String> f = new LinkedHashMap<>();
        Usage u = r.usage() == null ? Usage.EMPTY : r.usage();
        f.put("request_id", r.requestId());
        f.put("profile", r.profile());
        if (RequestRecord.EMBEDDINGS.equals(r.operation())) {
            // chat lines keep their fields as they were; an embedding's line says what it was
            f.put("operation", r.operation());
        }
        f.put("provider", r.provider());
        f.put("model", r.requestModel());
        f.put("response_model", r.responseModel());
        f.put("stream", String.valueOf(r.stream()));
        f.put("outcome", r.ok() ? "ok" : "error");
        f.put("error_kind", r.ok() ? null : r.errorType());
        f.put("status", r.statusCode() > 0 ? String.valueOf(r.statusCode()) : null);
        f.put("input_tokens", String.valueOf(u.inputTokens()));
        f.put("output_tokens", String.valueOf(u.outputTokens()));
        f.put("cache_read_tokens", String.valueOf(u.cacheReadTokens()));
        f.put("cache_write_tokens", String.valueOf(u.cacheWriteTokens()));
        f.put("ttft_ms", r.ttftMs() >= 0 ? String.valueOf(r.ttftMs()) : null);
        f.put("duration_ms", String.valueOf(r.durationMs()));
        f.put("tokens_per_s", r.tokensPerSecond() > 0 ? decimals(r.tokensPerSecond(), 1) : null);
        f.put("attempts", String.valueOf(r.attempts()));
        f.put("retries", String.valueOf(r.retries()));
        f.put("fallback", r.fallback());
        f.put("cost_usd", r.costUsd() == null ? null : decimals(r.costUsd(), 8));
        f.put("error_message", r.ok() ? null : truncate(r.errorMessage()));
        return f;
    }

    /**
     * The value with this many decimals, as {@code %.Nf} writes it (half up, from the shortest decimal of the
     * double), without a Formatter: a line is written per request and Formatter parses its pattern each time.
     */
    static String decimals(double v, int scale) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return java.math.BigDecimal.valueOf(v).setScale(scale, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** key=value pairs for people (the dev console): absent values as -, values with spaces or quotes in double quotes. */
    public static String format(Map<String, String> fields) {
        return join(fields, RequestLog::quote);
    }

    /** key="value" pairs of a log line: absent values as -, every other value in double quotes, JSON-escaped. */
    public static String line(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(32 * fields.size());
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            appendQuoted(sb.append(e.getKey()).append('='), e.getValue());
        }
        return sb.toString();
    }

    /** A value of a log line: - when absent, else in double quotes, JSON-escaped (quotes, backslashes, control characters). */
    static String quoted(String v) {
        return v == null ? "-" : appendQuoted(new StringBuilder(v.length() + 2), v).toString();
    }

    private static StringBuilder appendQuoted(StringBuilder sb, String v) {
        if (v == null) {
            return sb.append('-');
        }
        sb.append('"');
        if (needsEscape(v)) {
            JsonStringEncoder.getInstance().quoteAsString(v, sb);
        } else {
            sb.append(v); // most values (ids, numbers, model names) need no escape: no copy through the encoder
        }
        return sb.append('"');
    }

    private static boolean needsEscape(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < ' ' || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static String join(Map<String, String> fields, java.util.function.UnaryOperator<String> quoting) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(quoting.apply(e.getValue()));
        }
        return sb.toString();
    }

    /** The fields of a record's line, each value redacted. */
    static Map<String, String> redactedFields(RequestRecord r, Redaction redaction) {
        Map<String, String> fields = fields(r);
        fields.replaceAll((k, v) -> redaction.apply(v));
        return fields;
    }

    public static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    /** Writes one request line of these fields (already redacted), at INFO, with the fields as key-values too. */
    public static void write(Map<String, String> fields) {
        write(fields, false);
    }

    /** As {@link #write(Map)}; at WARN when {@code warn} (a request the server failed, for alerts on WARN). */
    public static void write(Map<String, String> fields, boolean warn) {
        if (!(warn ? LOG.isWarnEnabled() : LOG.isInfoEnabled())) {
            return;
        }
        LoggingEventBuilder event = warn ? LOG.atWarn() : LOG.atInfo();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getValue() != null) {
                event = event.addKeyValue(e.getKey(), e.getValue());
            }
        }
        event.log(line(fields));
    }

    static boolean promptsEnabled() {
        return LOG.isDebugEnabled();
    }

    /** A prompt or completion, at DEBUG; the caller checked that the endpoint allows it. */
    static void logText(String requestId, String kind, String text, Redaction redaction) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request_id={} {}={}", quoted(requestId), kind, quoted(redaction.apply(text)));
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
    }

    static String quote(String v) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        boolean plain = true;
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\';
        }
        if (plain) {
            return v;
        }
        // JSON string escaping: quotes, backslashes and control characters
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(v)) + '"';
    }

    /** Removes every key the request may have seen from a text. */
    @FunctionalInterface
    interface Redaction {
        String apply(String text);
    }
}
