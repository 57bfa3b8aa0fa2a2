package dev.camelllm.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.camelllm.api.LlmConfigurationException;

/**
 * A read-only view of one endpoint's options, as a provider factory sees them: typed accessors for the
 * options every provider reads, typed lookups by option name for the rest ({@code anthropicVersion},
 * {@code modelPath}, …), and {@link #extra(String)} for the options a provider defines itself, set as
 * {@code provider.<name>=<value>} on the URI or {@code provider-options[<name>]} in properties. A value
 * of the wrong type fails with a configuration error naming the option. Never prints the key.
 */
public final class ProviderSettings {

    private final Function<String, Object> options;
    private final Map<String, Object> extras;
    private final Map<String, Object> defaults;
    private final String endpoint;

    /**
     * @param options the option values by name (null when unset or unknown)
     * @param extras  the {@code provider.*} options, without the prefix
     */
    public ProviderSettings(Function<String, Object> options, Map<String, ?> extras) {
        this(options, extras == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras)), Map.of(),
                null);
    }

    private ProviderSettings(Function<String, Object> options, Map<String, Object> extras, Map<String, Object> defaults,
                             String endpoint) {
        this.options = Objects.requireNonNull(options, "options");
        this.extras = extras;
        this.defaults = defaults;
        this.endpoint = endpoint;
    }

    /** Settings from a plain map of option values, e.g. in tests. */
    public static ProviderSettings of(Map<String, ?> options, Map<String, ?> extras) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        return new ProviderSettings(copy::get, extras);
    }

    /**
     * These settings with {@code values} filling options that are unset (environment defaults): an option
     * set on the endpoint always wins.
     */
    public ProviderSettings withDefaults(Map<String, ?> values) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        values.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new ProviderSettings(options, extras, Map.copyOf(merged), endpoint);
    }

    /**
     * These settings, said to be an endpoint's: its URI without secrets, for a message that must tell endpoints
     * apart (two endpoints that share something and disagree on it).
     */
    public ProviderSettings forEndpoint(String endpointUri) {
        return new ProviderSettings(options, extras, defaults, endpointUri);
    }

    /** The endpoint these settings are of (its URI without secrets), or null when no one said. */
    public String endpoint() {
        return endpoint;
    }

    public String provider() {
        return string("provider");
    }

    public String model() {
        return string("model");
    }

    public String baseUrl() {
        return string("baseUrl");
    }

    public String apiKey() {
        return string("apiKey");
    }

    public String systemPrompt() {
        return string("systemPrompt");
    }

    public Integer maxTokens() {
        return integer("maxTokens");
    }

    public Double temperature() {
        return decimal("temperature");
    }

    public Integer thinkingBudget() {
        return integer("thinkingBudget");
    }

    /** The whole blocking call ({@code timeout}); 120 s when unset. */
    public Duration timeout() {
        Duration d = millis("timeout");
        return d == null ? Duration.ofMinutes(2) : d;
    }

    /** Each wait for stream bytes, and for a stream's headers: {@code streamIdleTimeout}, else {@code timeout}. */
    public Duration streamReadTimeout() {
        Duration idle = millis("streamIdleTimeout");
        return idle != null && !idle.isZero() && !idle.isNegative() ? idle : timeout();
    }

    /** The option's value as set (or filled by a default); null when unset. */
    public Object value(String name) {
        Object v = options.apply(name);
        if (v instanceof String s && s.isBlank()) {
            v = null;
        }
        return v != null ? v : defaults.get(name);
    }

    /** A text option, trimmed; null when unset or blank. */
    public String string(String name) {
        Object v = value(name);
        return v == null ? null : v.toString().trim();
    }

    public Integer integer(String name) {
        Object v = value(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            throw wrongType(name, v, "a whole number");
        }
    }

    public int integer(String name, int fallback) {
        Integer v = integer(name);
        return v == null ? fallback : v;
    }

    public Long longValue(String name) {
        Object v = value(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        try {
            return Long.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            throw wrongType(name, v, "a whole number");
        }
    }

    public Double decimal(String name) {
        Object v = value(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            throw wrongType(name, v, "a number");
        }
    }

    /** A true/false option; null when unset. */
    public Boolean bool(String name) {
        Object v = value(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw wrongType(name, v, "true or false");
    }

    public boolean bool(String name, boolean fallback) {
        Boolean v = bool(name);
        return v == null ? fallback : v;
    }

    /** An option in milliseconds as a duration; null when unset. */
    public Duration millis(String name) {
        Long v = longValue(name);
        return v == null ? null : Duration.ofMillis(v);
    }

    /** A {@code provider.<name>} option as text; null when not set. */
    public String extra(String name) {
        Object v = extras.get(name);
        return v == null ? null : v.toString();
    }

    /** Every {@code provider.*} option, by name without the prefix. */
    public Map<String, Object> extras() {
        return extras;
    }

    private static LlmConfigurationException wrongType(String name, Object value, String expected) {
        return new LlmConfigurationException("Option '" + name + "' must be " + expected + ", was '" + value + "'");
    }

    @Override
    public String toString() {
        // never the key, never a prompt
        return "ProviderSettings[provider=" + provider() + ", model=" + model() + ", baseUrl=" + baseUrl() + ", key "
                + (apiKey() == null ? "none" : "set") + ", extras=" + extras.keySet() + "]";
    }
}
