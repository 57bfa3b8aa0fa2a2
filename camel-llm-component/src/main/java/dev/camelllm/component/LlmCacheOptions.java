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
}
