package dev.camelllm.cache;

import java.util.Locale;

/**
 * What one request asks of the cache, from its {@code CamelLlmCache} header (the gateway sets it from the
 * client's {@code Cache-Control}): nothing (the profile's {@code cache} option decides), use it, or refresh
 * (skip the lookup, cache the fresh answer: {@code no-cache}), or bypass it (neither read nor write:
 * {@code no-store}, {@code false}).
 */
public enum CacheDirective {
    DEFAULT, USE, REFRESH, BYPASS;

    /**
     * The directive of a header value: a Boolean, or one of true, false, no-cache, no-store (any case).
     *
     * @throws IllegalArgumentException for any other value, with the values that are allowed
     */
    public static CacheDirective of(Object header) {
        if (header == null) {
            return DEFAULT;
        }
        if (header instanceof Boolean b) {
            return b ? USE : BYPASS;
        }
        String v = header.toString().trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> DEFAULT;
            case "true" -> USE;
            case "false", "no-store" -> BYPASS;
            case "no-cache" -> REFRESH;
            default -> throw new IllegalArgumentException("must be true, false, no-cache or no-store, was '"
                    + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
        };
    }

    /** Whether a cached answer may be served, on a profile whose cache option is {@code enabled}. */
    public boolean reads(boolean enabled) {
        return this == USE || this == DEFAULT && enabled;
    }

    /** Whether the fresh answer may be cached, on a profile whose cache option is {@code enabled}. */
    public boolean writes(boolean enabled) {
        return this == USE || (this == DEFAULT || this == REFRESH) && enabled;
    }
}
