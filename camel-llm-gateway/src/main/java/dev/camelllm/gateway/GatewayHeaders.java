package dev.camelllm.gateway;

/** The response headers the gateway adds to every answer. */
public final class GatewayHeaders {

    /** The gateway's own time on the request in milliseconds (decode, checks, encode), upstream time excluded. */
    public static final String OVERHEAD = "x-llm-gateway-overhead-ms";
    /** The provider that answered (after any fallback). */
    public static final String PROVIDER = "x-llm-provider";
    /** The upstream model that answered. */
    public static final String MODEL = "x-llm-model";
    /** The request id: the client's {@code x-request-id} when it sent a sane one, else one the gateway made. */
    public static final String REQUEST_ID = "x-request-id";
    /** On a token count: {@code exact} (a local model's tokenizer) or {@code estimate} (about four characters a token). */
    public static final String TOKEN_COUNT = "x-llm-token-count";
    /**
     * {@code hit} when the answer came from the profile's exact response cache, {@code hit-semantic} when from its
     * semantic cache, {@code miss} when they were looked up in vain.
     */
    public static final String CACHE = "x-cache";
    /** The cosine similarity to the closest prompt in the semantic cache, when it compared any. */
    public static final String CACHE_SIMILARITY = "x-cache-similarity";
    /** The same id under the name the Anthropic SDK reads. */
    public static final String ANTHROPIC_REQUEST_ID = "request-id";

    private GatewayHeaders() {
    }
}
