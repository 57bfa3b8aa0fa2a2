package dev.camelllm.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The gateway's settings: its virtual keys, the models it serves (each an llm: profile), CORS and the body
 * limit. Read from {@code llm.gateway.*} properties (see docs/gateway.md) or built in Java.
 */
public final class GatewayConfiguration {

    /** Property prefix of the gateway's settings. */
    public static final String PREFIX = "llm.gateway.";

    private String basePath = "/v1";
    private final Map<String, KeySettings> keys = new LinkedHashMap<>();
    private final Map<String, ModelRoute> models = new LinkedHashMap<>();
    private List<String> corsOrigins = List.of();
    private long maxBodyBytes = 8L * 1024 * 1024;

    /** An operator-issued gateway key: the secret clients send, the models it may use and its own limits. */
    public static final class KeySettings {
        private String key;
        private List<String> models = List.of("*");
        private int requestsPerMinute;
        private int tokensPerMinute;

        public String getKey() {
            return key;
        }

        /** The secret the client sends as {@code Authorization: Bearer …} or {@code x-api-key}. */
        public KeySettings setKey(String key) {
            this.key = key;
            return this;
        }

        public List<String> getModels() {
            return models;
        }

        /** The model names (as clients write them) this key may use; {@code *} for all. */
        public KeySettings setModels(List<String> models) {
            this.models = List.copyOf(models);
            return this;
        }

        public int getRequestsPerMinute() {
            return requestsPerMinute;
        }

        /** Requests per minute for this key; 0 for no limit. */
        public KeySettings setRequestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            return this;
        }

        public int getTokensPerMinute() {
            return tokensPerMinute;
        }

        /** Tokens (input estimate plus output) per minute for this key; 0 for no limit. */
        public KeySettings setTokensPerMinute(int tokensPerMinute) {
            this.tokensPerMinute = tokensPerMinute;
            return this;
        }
    }

    /**
     * What a model name the clients use maps to: an llm: profile and, optionally, the upstream model to ask
     * that profile's provider for (else the profile's own model).
     */
    public record ModelRoute(String profile, String model) {
    }

    /** Reads {@code llm.gateway.*} from Camel's properties, with placeholders resolved. */
    public static GatewayConfiguration fromProperties(PropertiesComponent properties) {
        Properties raw = properties.loadProperties(k -> k.startsWith(PREFIX));
        GatewayConfiguration config = new GatewayConfiguration();
        for (String name : raw.stringPropertyNames()) {
            String value = properties.resolveProperty(name).orElse(raw.getProperty(name)).trim();
            config.apply(name.substring(PREFIX.length()), value);
        }
        return config;
    }

    private void apply(String key, String value) {
        String[] parts = key.split("\\.");
        switch (normalise(parts[0])) {
            case "basepath" -> basePath = value;
            case "corsorigins" -> corsOrigins = split(value);
            case "maxbodybytes" -> maxBodyBytes = parseLong(key, value);
            case "keys" -> {
                requireParts(key, parts);
                KeySettings k = keys.computeIfAbsent(parts[1], n -> new KeySettings());
                switch (normalise(parts[2])) {
                    case "key" -> k.setKey(value);
                    case "models" -> k.setModels(split(value));
                    case "requestsperminute" -> k.setRequestsPerMinute((int) parseLong(key, value));
                    case "tokensperminute" -> k.setTokensPerMinute((int) parseLong(key, value));
                    default -> throw unknown(key);
                }
            }
            case "models" -> {
                requireParts(key, parts);
                ModelRoute old = models.getOrDefault(parts[1], new ModelRoute(null, null));
                switch (normalise(parts[2])) {
                    case "profile" -> models.put(parts[1], new ModelRoute(value, old.model()));
                    case "model" -> models.put(parts[1], new ModelRoute(old.profile(), value));
                    default -> throw unknown(key);
                }
            }
            default -> throw unknown(key);
        }
    }

    private static void requireParts(String key, String[] parts) {
        if (parts.length != 3) {
            throw unknown(key);
        }
    }

    private static IllegalArgumentException unknown(String key) {
        return new IllegalArgumentException("Unknown gateway setting '" + PREFIX + key + "' (see docs/gateway.md: "
                + "keys.NAME.key|models|requests-per-minute|tokens-per-minute, models.NAME.profile|model, cors-origins, "
                + "max-body-bytes, base-path)");
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Gateway setting '" + PREFIX + key + "' must be a whole number, not '"
                    + value + "'");
        }
    }

    /** Accepts kebab-case and camelCase alike, as Camel's own property binding does. */
    private static String normalise(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    public String getBasePath() {
        return basePath;
    }

    public GatewayConfiguration setBasePath(String basePath) {
        this.basePath = basePath;
        return this;
    }

    public Map<String, KeySettings> getKeys() {
        return keys;
    }

    public GatewayConfiguration addKey(String name, KeySettings key) {
        keys.put(name, key);
        return this;
    }

    public Map<String, ModelRoute> getModels() {
        return models;
    }

    public GatewayConfiguration addModel(String name, String profile, String model) {
        models.put(name, new ModelRoute(profile, model));
        return this;
    }

    public List<String> getCorsOrigins() {
        return corsOrigins;
    }

    /** Browser origins allowed to call the gateway ({@code *} for any); empty (the default) turns CORS off. */
    public GatewayConfiguration setCorsOrigins(List<String> corsOrigins) {
        this.corsOrigins = List.copyOf(corsOrigins);
        return this;
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public GatewayConfiguration setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        return this;
    }
}
