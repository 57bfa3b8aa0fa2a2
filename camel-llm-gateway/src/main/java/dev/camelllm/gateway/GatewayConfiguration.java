package dev.camelllm.gateway;

import dev.camelllm.state.BudgetPeriod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

/**
 * The gateway's settings: its virtual keys, the models it serves (each an llm: profile), CORS and the body
 * limit. Read from {@code llm.gateway.*} properties (see docs/gateway.md; Camel's property binding fills a
 * {@link GatewayProperties}, which this is made from) or built in Java.
 */
public final class GatewayConfiguration {

    /** Property prefix of the gateway's settings. */
    public static final String PREFIX = "llm.gateway.";

    private String basePath = "/v1";
    private String component = "llm";
    private final Map<String, KeySettings> keys = new LinkedHashMap<>();
    private final Map<String, ModelRoute> models = new LinkedHashMap<>();
    private List<String> corsOrigins = List.of();
    private long maxBodyBytes = 8L * 1024 * 1024;
    private List<String> guardedPaths = List.of();

    /** An operator-issued gateway key: the secret clients send, the models it may use and its own limits. */
    public static final class KeySettings {
        private String key;
        private List<String> models = List.of("*");
        private int requestsPerMinute;
        private int tokensPerMinute;
        private Double budget;
        private BudgetPeriod budgetPeriod = BudgetPeriod.DAY;

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

        public Double getBudget() {
            return budget;
        }

        /**
         * Most this key may spend in USD per budget period (priced from the component's prices); null for no
         * budget. Kept in the component's state store.
         */
        public KeySettings setBudget(Double budget) {
            if (budget != null && (budget < 0 || budget.isNaN() || budget.isInfinite())) {
                throw new IllegalArgumentException("A gateway key's budget is USD, 0 or more, not " + budget);
            }
            this.budget = budget;
            return this;
        }

        public BudgetPeriod getBudgetPeriod() {
            return budgetPeriod;
        }

        /** The period of the budget: day (the default), month or total. */
        public KeySettings setBudgetPeriod(BudgetPeriod budgetPeriod) {
            this.budgetPeriod = budgetPeriod == null ? BudgetPeriod.DAY : budgetPeriod;
            return this;
        }
    }

    /**
     * What a model name the clients use maps to: an llm: profile and, optionally, the upstream model to ask
     * that profile's provider for (else the profile's own model).
     */
    public record ModelRoute(String profile, String model) {
    }

    /**
     * Reads {@code llm.gateway.*} from Camel's properties, with placeholders resolved, through Camel's
     * property binding onto {@link GatewayProperties}; a setting that binds to nothing is an error naming it.
     */
    public static GatewayConfiguration fromProperties(PropertiesComponent properties) {
        if (!(properties instanceof CamelContextAware aware) || aware.getCamelContext() == null) {
            throw new IllegalArgumentException("The gateway reads its settings from the properties component of a "
                    + "CamelContext; this one has none");
        }
        CamelContext context = aware.getCamelContext();
        Properties raw = properties.loadProperties(k -> k.startsWith(PREFIX));
        GatewayProperties bound = new GatewayProperties();
        for (String name : new TreeSet<>(raw.stringPropertyNames())) {
            String value = properties.resolveProperty(name).orElse(raw.getProperty(name)).trim();
            String setting = name.substring(PREFIX.length());
            bind(context, bound, setting, value);
        }
        return from(bound);
    }

    /** One setting at a time, so that an error names the setting as the operator wrote it. */
    private static void bind(CamelContext context, GatewayProperties target, String setting, String value) {
        String path = bindingPath(setting);
        // the binding reads a String that starts with # as a reference (#bean:, #class:, #type:, #property:)
        // whatever withReference says; a secret may start with #, so such a value goes in as a CharSequence,
        // which the binding takes as a value and converts like any other
        Object literal = value.startsWith("#") ? new StringBuilder(value) : value;
        boolean done;
        try {
            done = path != null && PropertyBindingSupport.build()
                    .withCamelContext(context)
                    .withTarget(target)
                    .withProperty(path, literal)
                    .withIgnoreCase(true)
                    .withReflection(true)
                    .withPlaceholder(false) // resolved above, as the properties component resolves them
                    .withReference(false)
                    .withMandatory(false)
                    .bind();
        } catch (PropertyBindingException e) {
            // a #-value fails only where no text is taken, that is on a number
            throw invalid(setting, value, e, literal != value);
        }
        if (!done) {
            throw unknown(setting);
        }
    }

    /**
     * The binding path of a setting: {@code keys.team-a.requests-per-minute} becomes
     * {@code keys[team-a].requestsPerMinute} (the NAME, between the first and the last dot, kept as written), a
     * top-level {@code cors-origins} becomes {@code corsOrigins}; null when the setting has no such shape.
     */
    private static String bindingPath(String setting) {
        int dot = setting.indexOf('.');
        if (dot < 0) {
            String property = StringHelper.dashToCamelCase(setting);
            return property.equalsIgnoreCase("keys") || property.equalsIgnoreCase("models") ? null : property;
        }
        String map = setting.substring(0, dot);
        int last = setting.lastIndexOf('.');
        if (last == dot) {
            return null;
        }
        String name = setting.substring(dot + 1, last);
        String property = setting.substring(last + 1);
        if (!(map.equalsIgnoreCase("keys") || map.equalsIgnoreCase("models")) || name.isEmpty() || property.isEmpty()
                || name.contains("[") || name.contains("]")) {
            return null;
        }
        return map.toLowerCase(Locale.ROOT) + "[" + name + "]." + StringHelper.dashToCamelCase(property);
    }

    private static GatewayConfiguration from(GatewayProperties p) {
        GatewayConfiguration config = new GatewayConfiguration();
        if (p.getBasePath() != null) {
            config.setBasePath(p.getBasePath());
        }
        if (p.getComponent() != null) {
            config.setComponent(p.getComponent());
        }
        if (p.getCorsOrigins() != null) {
            config.setCorsOrigins(split(p.getCorsOrigins()));
        }
        if (p.getMaxBodyBytes() != null) {
            config.setMaxBodyBytes(p.getMaxBodyBytes());
        }
        if (p.getGuardedPaths() != null) {
            config.setGuardedPaths(split(p.getGuardedPaths()));
        }
        p.getKeys().forEach((name, k) -> {
            KeySettings settings = new KeySettings();
            if (k.getKey() != null) {
                settings.setKey(k.getKey());
            }
            if (k.getModels() != null) {
                settings.setModels(split(k.getModels()));
            }
            if (k.getRequestsPerMinute() != null) {
                settings.setRequestsPerMinute(k.getRequestsPerMinute());
            }
            if (k.getTokensPerMinute() != null) {
                settings.setTokensPerMinute(k.getTokensPerMinute());
            }
            try {
                settings.setBudget(k.getBudget());
                settings.setBudgetPeriod(BudgetPeriod.of(k.getBudgetPeriod(), PREFIX + "keys." + name + ".budget-period"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PREFIX + "keys." + name + ": " + e.getMessage(), e);
            }
            config.addKey(name, settings);
        });
        p.getModels().forEach((name, m) -> config.addModel(name, m.getProfile(), m.getModel()));
        return config;
    }

    private static IllegalArgumentException unknown(String key) {
        return new IllegalArgumentException("Unknown gateway setting '" + PREFIX + key + "' (see docs/gateway.md: "
                + "keys.NAME.key|models|requests-per-minute|tokens-per-minute|budget|budget-period, models.NAME.profile|model, cors-origins, "
                + "max-body-bytes, base-path, guarded-paths)");
    }

    private static IllegalArgumentException invalid(String key, String value, PropertyBindingException e,
                                                    boolean notANumber) {
        // the numbers are the only settings a value can fail to convert to (the others are text)
        boolean conversion = notANumber;
        for (Throwable c = e; c != null && !conversion; c = c.getCause()) {
            conversion = c instanceof NumberFormatException || c instanceof TypeConversionException
                    || c instanceof NoTypeConversionAvailableException;
        }
        if (conversion) {
            return new IllegalArgumentException("Gateway setting '" + PREFIX + key + "' must be a whole number, not '"
                    + value + "'");
        }
        // neither the value nor the binding's message (which quotes it): the setting may be a key's secret
        return new IllegalArgumentException("Gateway setting '" + PREFIX + key + "' cannot take the value given ("
                + e.getClass().getSimpleName() + "; see docs/gateway.md)");
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

    /** The name camel-llm's component is registered under ({@code llm} unless another component claims that scheme). */
    public String getComponent() {
        return component;
    }

    public GatewayConfiguration setComponent(String component) {
        this.component = component;
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

    public List<String> getGuardedPaths() {
        return guardedPaths;
    }

    /**
     * Paths of other routes on the same HTTP server that need a gateway key once any key is configured:
     * exact paths, or prefixes ending in {@code /*} ({@code /*} alone for every path). The gateway's own
     * paths check keys themselves and are never guarded twice. Empty (the default) guards nothing.
     */
    public GatewayConfiguration setGuardedPaths(List<String> guardedPaths) {
        for (String path : guardedPaths) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("Gateway setting '" + PREFIX + "guarded-paths' takes paths that start "
                        + "with /, not '" + path + "'");
            }
        }
        this.guardedPaths = List.copyOf(guardedPaths);
        return this;
    }
}
