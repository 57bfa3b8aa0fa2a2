package dev.camelllm.component;

import java.net.URI;
import java.util.Set;

import dev.camelllm.api.LlmConfigurationException;

/** Checks option values at route start, so a bad value fails there with the option named, not at the first message. */
final class OptionValidator {

    private OptionValidator() {
    }

    static void validate(LlmConfiguration c) {
        if (c.getMaxTokens() != null) {
            range("maxTokens", c.getMaxTokens(), 1, 10_000_000);
        }
        if (c.getTemperature() != null) {
            range("temperature", c.getTemperature(), 0.0, 2.0);
        }
        if (c.getTopP() != null && (c.getTopP() <= 0.0 || c.getTopP() > 1.0)) {
            throw invalid("topP", c.getTopP(), "must be greater than 0 and at most 1");
        }
        if (c.getTopK() != null) {
            range("topK", c.getTopK(), 1, 1_000_000);
        }
        if (c.getThinkingBudget() != null) {
            range("thinkingBudget", c.getThinkingBudget(), 0, 10_000_000);
        }
        range("timeout", c.getTimeout(), 1, 3_600_000);
        if (c.getDeadline() <= 0) {
            throw invalid("deadline", c.getDeadline(), "must be a positive number of milliseconds (the whole call's time, "
                    + "e.g. 300000); it cannot be switched off");
        }
        range("deadline", c.getDeadline(), 1, 86_400_000);
        if (c.getMaxInFlight() <= 0) {
            throw invalid("maxInFlight", c.getMaxInFlight(), "must be at least 1 (the most calls in flight through this "
                    + "profile; more are shed at once), e.g. 1000");
        }
        range("maxInFlight", c.getMaxInFlight(), 1, 10_000_000);
        range("cacheTtl", c.getCacheTtl(), 1, 31_536_000_000L);
        range("cacheMaxEntries", c.getCacheMaxEntries(), 1, 10_000_000);
        range("semanticCacheMaxEntries", c.getSemanticCacheMaxEntries(), 1, 1_000_000);
        oneOf("cacheStore", c.getCacheStore(), Set.of(CacheUse.AUTO, CacheUse.MEMORY, CacheUse.STATE));
        oneOf("semanticCacheStore", c.getSemanticCacheStore(), Set.of(CacheUse.AUTO, CacheUse.MEMORY, CacheUse.STATE));
        range("semanticCacheCandidates", c.getSemanticCacheCandidates(), 1, 10_000);
        // at most 512 MiB, Redis's largest value
        range("cacheMaxEntryBytes", c.getCacheMaxEntryBytes(), 1, 512L * 1024 * 1024);
        double threshold = c.getSemanticCacheThreshold();
        if (Double.isNaN(threshold) || threshold <= 0 || threshold > 1) {
            throw invalid("semanticCacheThreshold", threshold, "is the least cosine similarity of two prompts for one "
                    + "to reuse the other's answer: above 0, at most 1 (e.g. 0.92)");
        }
        if (c.isSemanticCache() && (c.getSemanticCacheEmbedUri() == null || !c.getSemanticCacheEmbedUri().startsWith("llm:"))) {
            // not the value: an embedding endpoint's URI may hold its apiKey
            throw new LlmConfigurationException("Option semanticCacheEmbedUri must be an llm: endpoint that embeds "
                    + "(operation=embed), e.g. " + LlmCacheOptions.BUILTIN_EMBED_URI);
        }
        range("maxToolRounds", c.getMaxToolRounds(), 1, 1_000);
        range("structuredOutputRetries", c.getStructuredOutputRetries(), 0, 20);
        oneOf("unknownToolStrategy", c.getUnknownToolStrategy(), Set.of("tellModel", "fail"));
        // at least a KiB: real events are hundreds of bytes; at most what one array can hold
        range("maxStreamEventBytes", c.getMaxStreamEventBytes(), 1024, Integer.MAX_VALUE - 8);
        range("toolLoopMaxTokens", c.getToolLoopMaxTokens(), 0, 1_000_000_000_000L);
        if (c.getMaxRetries() != null) {
            range("maxRetries", c.getMaxRetries(), 0, 100);
        }
        if (c.getRetryInitialDelay() != null) {
            range("retryInitialDelay", c.getRetryInitialDelay(), 0, 3_600_000);
        }
        if (c.getRetryMaxDelay() != null) {
            range("retryMaxDelay", c.getRetryMaxDelay(), 0, 3_600_000);
        }
        range("retryMultiplier", c.getRetryMultiplier(), 1.0, 100.0);
        range("retryJitter", c.getRetryJitter(), 0.0, 1.0);
        range("maxRetryAfter", c.getMaxRetryAfter(), 0, 3_600_000);
        if (c.getRateLimitPerMinute() != null) {
            range("rateLimitPerMinute", c.getRateLimitPerMinute(), 0, 10_000_000);
        }
        if (c.getRateLimitPerHour() != null) {
            range("rateLimitPerHour", c.getRateLimitPerHour(), 0, 100_000_000);
        }
        range("tokensPerMinute", c.getTokensPerMinute(), 0, 1_000_000_000);
        oneOf("rateLimitMode", c.getRateLimitMode(), Set.of("wait", "fail"));
        oneOf("operation", c.getOperation(), Set.of("chat", "complete", "stream", "analyze", "healthCheck", "countTokens", "embed"));
        range("rateLimitMaxWait", c.getRateLimitMaxWait(), 0, 3_600_000);
        if (c.getMaxConcurrentRequests() != null) {
            range("maxConcurrentRequests", c.getMaxConcurrentRequests(), 0, 100_000);
        }
        range("maxConcurrentWait", c.getMaxConcurrentWait(), 0, 3_600_000);
        range("firstTokenTimeout", c.getFirstTokenTimeout(), 0, 3_600_000);
        range("streamIdleTimeout", c.getStreamIdleTimeout(), 0, 3_600_000);
        range("circuitBreakerFailureRate", c.getCircuitBreakerFailureRate(), 1.0, 100.0);
        range("circuitBreakerMinimumCalls", c.getCircuitBreakerMinimumCalls(), 1, 10_000);
        range("circuitBreakerOpenDuration", c.getCircuitBreakerOpenDuration(), 1, 86_400_000);
        oneOf("streamFormat", c.getStreamFormat(), Set.of("text", "chunks"));
        oneOf("reasoningFormat", c.getReasoningFormat(),
                Set.of("auto", "reasoning_content", "reasoning", "think_tags", "none"));
        if (c.getMaxTokensField() != null) {
            oneOf("maxTokensField", c.getMaxTokensField(), Set.of("max_tokens", "max_completion_tokens"));
        }
        if (c.getBaseUrl() != null) {
            URI uri;
            try {
                uri = URI.create(c.getBaseUrl().trim());
            } catch (IllegalArgumentException e) {
                throw invalid("baseUrl", c.getBaseUrl(), "is not a URL");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw invalid("baseUrl", c.getBaseUrl(), "must be an http:// or https:// URL with a host");
            }
        }
    }

    private static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(option, value, "must be between " + min + " and " + max);
        }
    }

    private static void range(String option, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw invalid(option, value, "must be between " + min + " and " + max);
        }
    }

    private static void oneOf(String option, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw invalid(option, value, "must be one of " + new java.util.TreeSet<>(allowed));
        }
    }

    static LlmConfigurationException invalid(String option, Object value, String why) {
        return new LlmConfigurationException("Invalid value '" + value + "' of option '" + option + "': " + why);
    }
}
