package dev.camelllm.component;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.cache.CacheDirective;
import dev.camelllm.cache.CacheKeys;
import dev.camelllm.cache.CacheStore;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.MemoryCacheStore;
import dev.camelllm.cache.ResponseCache;
import dev.camelllm.observability.LlmMetrics;
import dev.camelllm.observability.RequestObservation;
import dev.camelllm.semantic.SemanticCache;
import dev.camelllm.semantic.SemanticCacheStore;
import dev.camelllm.state.CandidateSets;
import dev.camelllm.state.ExpiringValues;

/**
 * One request's use of its profile's caches: the exact response cache ({@code cache}) and the semantic one
 * ({@code semanticCache}); whether it may be answered from them and whether its answer may go in (the
 * options and the CamelLlmCache header), under which key (provider, model, the gateway key unless shared,
 * the request). The exact cache is looked up first. Requests of a profile with a tool loop are never
 * cached: its tools are Camel routes whose effects a cached answer would skip.
 */
final class CacheUse {

    private static final Logger LOG = LoggerFactory.getLogger(CacheUse.class);
    static final String AUTO = "auto";
    static final String MEMORY = "memory";
    static final String STATE = "state";

    private final LlmEndpoint target;
    private final String key;
    private final String profile;
    private final LlmMetrics metrics;
    private final ResponseCache exact;
    private final boolean exactReads;
    private final boolean exactWrites;
    private final Semantic semantic;

    /** The semantic side of the request: its scope, its prompt, and the prompt's vector once embedded. */
    private static final class Semantic {
        final SemanticCacheStore cache;
        final String scope;
        final String prompt;
        final boolean reads;
        final boolean writes;
        /** The request's id, which the prompt's embedding call carries too (its log line says whose it is). */
        final String requestId;
        // written where the request is looked up, read where its answer is stored (maybe another thread)
        volatile float[] vector;
        volatile boolean embedFailed;

        Semantic(SemanticCacheStore cache, String scope, String prompt, boolean reads, boolean writes, String requestId) {
            this.cache = cache;
            this.requestId = requestId;
            this.scope = scope;
            this.prompt = prompt;
            this.reads = reads;
            this.writes = writes;
        }
    }

    private CacheUse(LlmEndpoint target, String key, ResponseCache exact, boolean exactReads, boolean exactWrites,
                     Semantic semantic) {
        this.target = target;
        this.key = key;
        this.profile = target.getName();
        this.metrics = target.getComponent().observability().metrics();
        this.exact = exact;
        this.exactReads = exactReads;
        this.exactWrites = exactWrites;
        this.semantic = semantic;
    }

    /** The request's cache use, or null when it neither reads nor writes any cache. */
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
        // the header can turn the exact cache on for one request; the semantic one only the profile can
        boolean semanticReads = c.isSemanticCache() && directive.reads(true);
        boolean semanticWrites = c.isSemanticCache() && directive.writes(true);
        if (!reads && !writes && !semanticReads && !semanticWrites || target.getToolLoop() != null
                || target.getProvider() == null) {
            return null;
        }
        String scope = c.isCacheSharedAcrossKeys() ? null : exchange.getProperty(LlmConstants.GATEWAY_KEY_PROPERTY, String.class);
        String model = request.model() != null ? request.model() : target.getProvider().model();
        String provider = target.getProvider().name();
        String key = CacheKeys.of(provider, model, scope, request);
        ResponseCache exact = reads || writes ? target.getComponent().responseCaches().of(target.getName(),
                Duration.ofMillis(c.getCacheTtl()), () -> newStore(target, c)) : null;
        Semantic semantic = null;
        String semanticScope = semanticReads || semanticWrites ? CacheKeys.semanticScope(provider, model, scope, request) : null;
        if (semanticScope != null) {
            SemanticCacheStore cache = target.getComponent().semanticCaches().of(target.getName(),
                    () -> newSemanticStore(target, c));
            semantic = new Semantic(cache, semanticScope, CacheKeys.promptText(request), semanticReads, semanticWrites,
                    RequestObservation.requestIdOf(exchange));
        }
        if (exact == null && semantic == null) {
            return null;
        }
        return new CacheUse(target, key, exact, reads, writes, semantic);
    }

    /**
     * At the endpoint's start: cacheStore=state and semanticCacheStore=state need a shared state store, said
     * now rather than at the first call.
     */
    static void checkStore(LlmEndpoint endpoint) {
        LlmConfiguration c = endpoint.getConfiguration();
        if (STATE.equals(c.getCacheStore()) && endpoint.getComponent().stateStore().values() == null) {
            throw needsSharedStore(endpoint, "cacheStore");
        }
        if (STATE.equals(c.getSemanticCacheStore()) && endpoint.getComponent().stateStore().candidateSets() == null) {
            throw needsSharedStore(endpoint, "semanticCacheStore");
        }
    }

    private static LlmConfigurationException needsSharedStore(LlmEndpoint target, String option) {
        return new LlmConfigurationException("Option " + option + "=state needs a shared stateStore (redis://…); "
                + "the component's stateStore is " + target.getComponent().stateStore().description());
    }

    /** The profile's exact cache store that its cacheStore option names (docs/caching.md). */
    private static CacheStore newStore(LlmEndpoint target, LlmConfiguration c) {
        String choice = c.getCacheStore(); // one of auto, memory, state (OptionValidator)
        ExpiringValues values = choice.equals(MEMORY) ? null : target.getComponent().stateStore().values();
        if (choice.equals(STATE) && values == null) {
            throw needsSharedStore(target, "cacheStore");
        }
        if (values == null) {
            return new MemoryCacheStore(c.getCacheMaxEntries());
        }
        return new StateCacheStore(target.getName(), values, c.getCacheMaxEntryBytes(),
                target.getComponent().observability().metrics());
    }

    /** The profile's semantic cache store that its semanticCacheStore option names (docs/caching.md). */
    private static SemanticCacheStore newSemanticStore(LlmEndpoint target, LlmConfiguration c) {
        String choice = c.getSemanticCacheStore(); // one of auto, memory, state (OptionValidator)
        CandidateSets sets = choice.equals(MEMORY) ? null : target.getComponent().stateStore().candidateSets();
        if (choice.equals(STATE) && sets == null) {
            throw needsSharedStore(target, "semanticCacheStore");
        }
        Duration ttl = Duration.ofMillis(c.getCacheTtl());
        if (sets == null) {
            return new SemanticCache(target.getName(), c.getSemanticCacheMaxEntries(), ttl);
        }
        return new StateSemanticStore(target.getName(), sets, c.getSemanticCacheCandidates(), ttl,
                c.getCacheMaxEntryBytes(), target.getComponent().observability().metrics());
    }

    /**
     * The cached answer, or null (a miss, or a request that may not read): the exact cache first, then the
     * semantic one. Sets CamelLlmCacheHit when looked up, CamelLlmCacheHitKind on a hit and
     * CamelLlmCacheSimilarity when the semantic cache compared any prompt.
     */
    CachedAnswer lookup(Message message) {
        // an earlier llm: step of the same exchange may have set them
        message.removeHeader(LlmConstants.CACHE_HIT_KIND);
        message.removeHeader(LlmConstants.CACHE_SIMILARITY);
        boolean lookedUp = false;
        if (exactReads) {
            lookedUp = true;
            CachedAnswer hit = exact.lookup(key);
            metrics.cacheLookup(profile, LlmMetrics.EXACT, hit != null);
            if (hit != null) {
                return hit(message, hit, LlmMetrics.EXACT);
            }
        }
        if (semantic != null && semantic.reads && embed()) {
            lookedUp = true;
            SemanticCacheStore.Match match = semantic.cache.lookup(semantic.scope, semantic.vector,
                    target.getConfiguration().getSemanticCacheThreshold());
            metrics.cacheLookup(profile, LlmMetrics.SEMANTIC, match.hit());
            if (!Double.isNaN(match.similarity())) {
                message.setHeader(LlmConstants.CACHE_SIMILARITY, match.similarity());
            }
            if (match.hit()) {
                return hit(message, match.answer(), LlmMetrics.SEMANTIC);
            }
        }
        if (lookedUp) {
            message.setHeader(LlmConstants.CACHE_HIT, false);
        }
        return null;
    }

    private static CachedAnswer hit(Message message, CachedAnswer answer, String kind) {
        message.setHeader(LlmConstants.CACHE_HIT, true);
        message.setHeader(LlmConstants.CACHE_HIT_KIND, kind);
        return answer;
    }

    /** Embeds the prompt once; a failure is counted and the request goes on without the semantic cache. */
    private boolean embed() {
        if (semantic.vector != null) {
            return true;
        }
        if (semantic.embedFailed) {
            return false;
        }
        try {
            semantic.vector = target.getComponent().promptEmbedder().embed(
                    target.getConfiguration().getSemanticCacheEmbedUri(), semantic.prompt, semantic.requestId);
            return true;
        } catch (RuntimeException e) {
            semantic.embedFailed = true;
            metrics.semanticCacheEmbedFailed(profile);
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            LOG.warn("The semantic cache of profile '{}' could not embed the prompt (the call goes on uncached): {}",
                    profile, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return false;
        }
    }

    boolean writes() {
        return exactWrites || semantic != null && semantic.writes;
    }

    /** Caches a whole answer (chunks: the stream's, or null); a failed, refused or partial one is left out. */
    void store(ChatResponse response, List<ChatChunk> chunks, boolean streamed) {
        if (!writes() || streamed && chunks == null || !CachedAnswer.cacheable(response)) {
            return;
        }
        CachedAnswer answer = new CachedAnswer(response, chunks);
        if (exactWrites && exact.store(key, answer)) {
            metrics.cacheStored(profile, LlmMetrics.EXACT);
        }
        if (semantic != null && semantic.writes && embed()) {
            semantic.cache.put(key, semantic.scope, semantic.vector, answer);
            metrics.cacheStored(profile, LlmMetrics.SEMANTIC);
        }
    }
}
