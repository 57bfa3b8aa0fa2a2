package dev.camelllm.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code llm.gateway.*} settings as an operator writes them: the bean that Camel's property binding fills
 * (kebab-case or camelCase, values converted by Camel's type converters), one setter a setting. What is unset
 * stays null, so the defaults live in one place, {@link GatewayConfiguration}. Public because the binding
 * calls these setters by reflection.
 */
public final class GatewayProperties {

    private String basePath;
    private String component;
    private String corsOrigins;
    private Long maxBodyBytes;
    private String guardedPaths;
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Map<String, Model> models = new LinkedHashMap<>();

    /** {@code llm.gateway.keys.NAME.*}: one gateway key. */
    public static final class Key {
        private String key;
        private String models;
        private Integer requestsPerMinute;
        private Integer tokensPerMinute;
        private Double budget;
        private String budgetPeriod;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public String getModels() {
            return models;
        }

        /** Comma-separated. */
        public void setModels(String models) {
            this.models = models;
        }

        public Integer getRequestsPerMinute() {
            return requestsPerMinute;
        }

        public void setRequestsPerMinute(Integer requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
        }

        public Integer getTokensPerMinute() {
            return tokensPerMinute;
        }

        public void setTokensPerMinute(Integer tokensPerMinute) {
            this.tokensPerMinute = tokensPerMinute;
        }

        public Double getBudget() {
            return budget;
        }

        public void setBudget(Double budget) {
            this.budget = budget;
        }

        public String getBudgetPeriod() {
            return budgetPeriod;
        }

        /** day, month or total. */
        public void setBudgetPeriod(String budgetPeriod) {
            this.budgetPeriod = budgetPeriod;
        }
    }

    /** {@code llm.gateway.models.NAME.*}: one model the clients may name. */
    public static final class Model {
        private String profile;
        private String model;

        public String getProfile() {
            return profile;
        }

        public void setProfile(String profile) {
            this.profile = profile;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }
    }

    public String getBasePath() {
        return basePath;
    }

    public String getComponent() {
        return component;
    }

    public void setComponent(String component) {
        this.component = component;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public String getCorsOrigins() {
        return corsOrigins;
    }

    /** Comma-separated. */
    public void setCorsOrigins(String corsOrigins) {
        this.corsOrigins = corsOrigins;
    }

    public Long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(Long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public String getGuardedPaths() {
        return guardedPaths;
    }

    /** Comma-separated. */
    public void setGuardedPaths(String guardedPaths) {
        this.guardedPaths = guardedPaths;
    }

    public Map<String, Key> getKeys() {
        return keys;
    }

    public Map<String, Model> getModels() {
        return models;
    }
}
