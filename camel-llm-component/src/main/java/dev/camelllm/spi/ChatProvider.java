package dev.camelllm.spi;

import java.time.Duration;
import java.util.OptionalLong;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;

/**
 * One configured model behind one provider: the whole contract every provider implements. Calls block
 * the calling thread; the producer runs them off Camel's routing thread. Failures are
 * {@link dev.camelllm.api.LlmException}s.
 */
public interface ChatProvider extends AutoCloseable {

    /** The provider's name as used in the {@code provider} option, e.g. {@code openai}. */
    String name();

    /** The model this provider answers with by default. */
    String model();

    /**
     * Answers within the call's time ({@link CallContext#timeLeft()} bounds every wait) and stops when it
     * is cancelled: a cancelled call fails with {@link dev.camelllm.api.ErrorKind#CANCELLED}, one whose
     * time ran out with {@link dev.camelllm.api.LlmTimeoutException}. Runs on a call thread (a virtual
     * thread on JDK 21+, a thread of the bounded call pool on Java 17), so it may block.
     */
    ChatResponse chat(ChatRequest request, CallContext call);

    /**
     * Starts a streamed answer within the call's time; a cancel of the call closes the stream. The
     * upstream has accepted the request when this returns (an HTTP error status is thrown here, not from
     * the stream).
     */
    ChatStream stream(ChatRequest request, CallContext call);

    /** {@link #chat(ChatRequest, CallContext)} with the provider's own {@link #timeout()}, never cancelled. */
    default ChatResponse chat(ChatRequest request) {
        return chat(request, CallContext.of(timeout()));
    }

    /** {@link #stream(ChatRequest, CallContext)} with the provider's own {@link #timeout()}, never cancelled. */
    default ChatStream stream(ChatRequest request) {
        return stream(request, CallContext.of(timeout()));
    }

    /** The time a call made without a {@link CallContext} may take: the endpoint's {@code timeout}. */
    default Duration timeout() {
        return Duration.ofMinutes(2);
    }

    /**
     * The provider's own health (e.g. a local model loaded and answering), for the producer health check;
     * null when it has none, and then the health check asks {@link #probe(Duration)}. Called on the
     * health-check thread: keep it quick.
     */
    default ProviderHealth health() {
        return null;
    }

    /**
     * A check of the remote upstream (reachable, the key accepted), e.g. a GET of its models list within
     * {@code timeout}; the health check reuses the answer for the component's {@code healthProbeInterval}.
     * Null when the provider has no remote to check. Never throws; never puts the key in the result.
     */
    default ProviderHealth probe(Duration timeout) {
        return null;
    }

    /**
     * The input tokens the request takes as the model sees it, when the provider can count them exactly
     * without a call (a local model's tokenizer and chat template); empty otherwise, and then the component
     * estimates. Quick and local: never a network call.
     */
    default OptionalLong countInputTokens(ChatRequest request) {
        return OptionalLong.empty();
    }

    /**
     * Checks, at endpoint start, that this provider can honour the response format (e.g. a local provider that
     * enforces a JSON Schema while decoding supports only a subset of it); throws
     * {@link dev.camelllm.api.LlmConfigurationException} naming what it cannot do. Does nothing by default:
     * a provider that passes the format on to its upstream leaves the checking to it.
     */
    default void checkResponseFormat(dev.camelllm.api.ResponseFormat format) {
    }

    /**
     * Whether this provider's {@link dev.camelllm.api.Usage#inputTokens()} already include the cache reads
     * (OpenAI's prompt_tokens do; Anthropic's input_tokens do not), so that prices count them once.
     */
    default boolean usageCountsCacheReadsInInput() {
        return false;
    }

    /**
     * Requests waiting for this provider (a local model that answers one at a time), for the
     * {@code llm.local.queue.depth} gauge; -1 when the provider has no queue of its own.
     */
    default int queueDepth() {
        return -1;
    }

    @Override
    default void close() {
    }
}
