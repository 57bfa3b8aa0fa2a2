package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The exact response cache of an endpoint's profile (docs/caching.md). Part of {@link LlmConfiguration};
 * see there why the options are split this way.
 */
@UriParams
public abstract class LlmCacheOptions extends LlmObservabilityOptions {

    @UriParam(label = "cache", defaultValue = "false",
              description = "Answer a request that is exactly the same as an earlier one (provider, model, messages, tools and parameters) from the profile's response cache, without calling the provider; a streamed answer is replayed as a stream. Off by default; a request's CamelLlmCache header overrides it.")
    private boolean cache = false;
    @UriParam(label = "cache", defaultValue = "3600000",
              description = "Milliseconds an answer stays in the response cache.")
    private long cacheTtl = 3_600_000;
    @UriParam(label = "cache", defaultValue = "1000",
              description = "Most answers the profile's response cache holds in memory; the least recently used goes first.")
    private int cacheMaxEntries = 1000;
    @UriParam(label = "cache", defaultValue = "false",
              description = "Share cached answers between gateway keys. Off by default: a gateway key only ever gets answers cached for itself.")
    private boolean cacheSharedAcrossKeys = false;
    @UriParam(label = "cache", defaultValue = "auto", enums = "auto,memory,state",
              description = "Where the profile's response cache keeps its answers: memory (this process, at most cacheMaxEntries), state (the component's shared stateStore, Redis, each answer a key that expires after cacheTtl, shared by every instance pointing at it), or auto: state when the stateStore is shared, else memory. A failure of the state store is a cache miss, never a failed call, whatever stateStoreFailureMode says.")
    private String cacheStore = "auto";
    @UriParam(label = "cache", defaultValue = "1048576",
              description = "Largest answer (bytes of its JSON) the response cache keeps in the state store; a larger one is not cached. Memory entries are bounded by cacheMaxEntries only.")
    private int cacheMaxEntryBytes = 1_048_576;

    /** The built-in local embedding model (all-MiniLM-L6-v2, quantized, on the CPU or CUDA), the semantic cache's default. */
    public static final String BUILTIN_EMBED_URI =
            "llm:semantic-cache-embed?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&operation=embed";

    @UriParam(label = "cache", defaultValue = "false",
              description = "Answer a request from the profile's semantic cache when its last user message means nearly the same as an earlier one's (cosine similarity of their embeddings at least semanticCacheThreshold) and everything else of the request (model, system prompt, earlier messages, tools, parameters, gateway key) is exactly the same. Checked after the exact cache; off by default (docs/caching.md: it can answer a question that only looks alike).")
    private boolean semanticCache = false;
    @UriParam(label = "cache", defaultValue = "0.92",
              description = "Least cosine similarity (0 to 1) of two prompts' embeddings for the semantic cache to reuse an answer; higher is safer.")
    private double semanticCacheThreshold = 0.92;
    @UriParam(label = "cache", defaultValue = BUILTIN_EMBED_URI,
              description = "The llm: endpoint (operation=embed) that embeds prompts for the semantic cache; by default the built-in local model all-minilm-l6-v2-q. Give an embedding profile, e.g. llm:embed?operation=embed.")
    private String semanticCacheEmbedUri = BUILTIN_EMBED_URI;
    @UriParam(label = "cache", defaultValue = "1000",
              description = "Most answers the profile's semantic cache holds in memory (each lookup compares at most this many embeddings); the least recently used goes first.")
    private int semanticCacheMaxEntries = 1000;
    @UriParam(label = "cache", defaultValue = "auto", enums = "auto,memory,state",
              description = "Where the profile's semantic cache keeps its answers and their embeddings: memory (this process, at most semanticCacheMaxEntries), state (the component's shared stateStore, Redis: per scope the newest semanticCacheCandidates answers, shared by every instance pointing at it, each expiring after cacheTtl), or auto: state when the stateStore is shared, else memory. Set apart from cacheStore because a shared lookup moves up to semanticCacheCandidates embeddings. A failure of the state store is a cache miss, never a failed call.")
    private String semanticCacheStore = "auto";
    @UriParam(label = "cache", defaultValue = "100",
              description = "With semanticCacheStore=state: most answers the semantic cache keeps per scope (same model, system prompt, earlier messages, tools, parameters and gateway key), the newest; each lookup fetches and compares at most this many embeddings (about 2 KB each for 384 dimensions) in one round trip.")
    private int semanticCacheCandidates = 100;

    public boolean isCache() {
        return cache;
    }

    /** Answer an exactly repeated request from the profile's response cache. */
    public void setCache(boolean cache) {
        this.cache = cache;
    }

    public long getCacheTtl() {
        return cacheTtl;
    }

    /** Milliseconds an answer stays in the response cache. */
    public void setCacheTtl(long cacheTtl) {
        this.cacheTtl = cacheTtl;
    }

    public int getCacheMaxEntries() {
        return cacheMaxEntries;
    }

    /** Most answers the profile's response cache holds. */
    public void setCacheMaxEntries(int cacheMaxEntries) {
        this.cacheMaxEntries = cacheMaxEntries;
    }

    public boolean isCacheSharedAcrossKeys() {
        return cacheSharedAcrossKeys;
    }

    /** Share cached answers between gateway keys. */
    public void setCacheSharedAcrossKeys(boolean cacheSharedAcrossKeys) {
        this.cacheSharedAcrossKeys = cacheSharedAcrossKeys;
    }

    public String getCacheStore() {
        return cacheStore;
    }

    /** Where the profile's response cache keeps its answers: auto, memory or state. */
    public void setCacheStore(String cacheStore) {
        this.cacheStore = cacheStore;
    }

    public int getCacheMaxEntryBytes() {
        return cacheMaxEntryBytes;
    }

    /** Largest answer (bytes of its JSON) the response cache keeps in the state store. */
    public void setCacheMaxEntryBytes(int cacheMaxEntryBytes) {
        this.cacheMaxEntryBytes = cacheMaxEntryBytes;
    }

    public boolean isSemanticCache() {
        return semanticCache;
    }

    /** Answer a prompt that means nearly the same as an earlier one from the profile's semantic cache. */
    public void setSemanticCache(boolean semanticCache) {
        this.semanticCache = semanticCache;
    }

    public double getSemanticCacheThreshold() {
        return semanticCacheThreshold;
    }

    /** Least cosine similarity of two prompts for the semantic cache to reuse an answer. */
    public void setSemanticCacheThreshold(double semanticCacheThreshold) {
        this.semanticCacheThreshold = semanticCacheThreshold;
    }

    public String getSemanticCacheEmbedUri() {
        return semanticCacheEmbedUri;
    }

    /** The llm: endpoint that embeds prompts for the semantic cache. */
    public void setSemanticCacheEmbedUri(String semanticCacheEmbedUri) {
        this.semanticCacheEmbedUri = semanticCacheEmbedUri;
    }

    public int getSemanticCacheMaxEntries() {
        return semanticCacheMaxEntries;
    }

    /** Most answers the profile's semantic cache holds. */
    public void setSemanticCacheMaxEntries(int semanticCacheMaxEntries) {
        this.semanticCacheMaxEntries = semanticCacheMaxEntries;
    }

    public String getSemanticCacheStore() {
        return semanticCacheStore;
    }

    /** Where the profile's semantic cache keeps its answers: auto, memory or state. */
    public void setSemanticCacheStore(String semanticCacheStore) {
        this.semanticCacheStore = semanticCacheStore;
    }

    public int getSemanticCacheCandidates() {
        return semanticCacheCandidates;
    }

    /** Most answers the shared semantic cache keeps per scope, the newest; a lookup compares at most this many. */
    public void setSemanticCacheCandidates(int semanticCacheCandidates) {
        this.semanticCacheCandidates = semanticCacheCandidates;
    }
}
