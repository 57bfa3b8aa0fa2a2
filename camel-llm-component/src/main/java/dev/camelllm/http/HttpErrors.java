package dev.camelllm.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import dev.camelllm.api.ErrorKind;

/**
 * What an HTTP error status means, before a provider refines it with its own error type (a 400 that is
 * really a context-window error, a 429 that is really insufficient_quota).
 */
public final class HttpErrors {

    /** No retry-after is honoured beyond this, whatever the upstream asks. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private HttpErrors() {
    }

    public static ErrorKind kindFor(int status) {
        if (status == 401 || status == 403 || status == 407) {
            return ErrorKind.AUTHENTICATION;
        }
        if (status == 429) {
            return ErrorKind.RATE_LIMIT;
        }
        if (status == 408) {
            return ErrorKind.TIMEOUT;
        }
        if (status >= 500) {
            return ErrorKind.PROVIDER;
        }
        return ErrorKind.INVALID_REQUEST;
    }

    /** A guess from the error message, for servers that send no typed code. */
    public static ErrorKind refineByMessage(ErrorKind kind, String message) {
        if (message == null) {
            return kind;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("context length") || m.contains("context_length") || m.contains("context window")
                || m.contains("maximum context") || m.contains("prompt is too long") || m.contains("too many tokens")) {
            return ErrorKind.CONTEXT_WINDOW;
        }
        if (m.contains("content filter") || m.contains("content_filter") || m.contains("content management policy")
                || m.contains("content policy")) {
            return ErrorKind.CONTENT_POLICY;
        }
        return kind;
    }

    /**
     * The wait the upstream asks for: {@code retry-after-ms}, else {@code retry-after} in seconds or as an
     * HTTP date; capped at {@link #MAX_RETRY_AFTER}. Null when absent or unreadable.
     */
    public static Duration retryAfter(Map<String, String> headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return cap(Duration.ofMillis((long) Double.parseDouble(ms.trim())));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String value = headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return cap(Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return cap(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static Duration cap(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
