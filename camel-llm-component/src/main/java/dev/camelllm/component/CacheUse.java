package dev.camelllm.component;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.cache.CacheDirective;
import dev.camelllm.cache.CacheKeys;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.ResponseCache;
import dev.camelllm.observability.LlmMetrics;

/**
 * One request's use of its profile's response cache: whether it may be answered from it and whether its
 * answer may go in (the profile's cache option and the CamelLlmCache header), under which key (provider,
 * model, the gateway key unless shared, the request). Requests of a profile with a tool loop are never
 * cached: its tools are Camel routes whose effects a cached answer would skip.
 */
final class CacheUse {

    private final ResponseCache cache;
    private final String key;
    private final String profile;
    private final boolean reads;
    private final boolean writes;
    private final LlmMetrics metrics;

    private CacheUse(ResponseCache cache, String key, String profile, boolean reads, boolean writes, LlmMetrics metrics) {
        this.cache = cache;
        this.key = key;
        this.profile = profile;
        this.reads = reads;
        this.writes = writes;
        this.metrics = metrics;
    }

    /** The request's cache use, or null when it neither reads nor writes the cache. */
    static CacheUse of(LlmEndpoint target, ChatRequest request, Exchange exchange) {
        CacheDirective directive;
        Object header = exchange.getMessage().getHeader(LlmConstants.CACHE);
        try {
            directive = CacheDirective.of(header);
        } catch (IllegalArgumentException e) {
            throw new LlmInvalidRequestException(null, request.model(), "Header " + LlmConstants.CACHE + " " + e.getMessage());
        }
        LlmConfiguration c = target.getConfiguration();
        boolean reads = directive.reads(c.isCache());
        boolean writes = directive.writes(c.isCache());
        if (!reads && !writes || target.getToolLoop() != null || target.getProvider() == null) {
            return null;
        }
        String scope = c.isCacheSharedAcrossKeys() ? null : exchange.getProperty(LlmConstants.GATEWAY_KEY_PROPERTY, String.class);
        String model = request.model() != null ? request.model() : target.getProvider().model();
        String key = CacheKeys.of(target.getProvider().name(), model, scope, request);
        ResponseCache cache = target.getComponent().responseCaches().of(target.getName(), c.getCacheMaxEntries(),
                Duration.ofMillis(c.getCacheTtl()));
        return new CacheUse(cache, key, target.getName(), reads, writes,
                target.getComponent().observability().metrics());
    }

    /** The cached answer, or null (a miss, or a request that may not read); sets CamelLlmCacheHit when looked up. */
    CachedAnswer lookup(Message message) {
        if (!reads) {
            return null;
        }
        CachedAnswer hit = cache.lookup(key);
        metrics.cacheLookup(profile, hit != null);
        message.setHeader(LlmConstants.CACHE_HIT, hit != null);
        return hit;
    }

    boolean writes() {
        return writes;
    }

    /** Caches a whole answer (chunks: the stream's, or null); a failed, refused or partial one is left out. */
    void store(ChatResponse response, List<ChatChunk> chunks, boolean streamed) {
        if (!writes || streamed && chunks == null) {
            return;
        }
        if (cache.store(key, new CachedAnswer(response, chunks))) {
            metrics.cacheStored(profile);
        }
    }
}
