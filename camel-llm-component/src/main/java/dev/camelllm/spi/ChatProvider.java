package dev.camelllm.spi;

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

    ChatResponse chat(ChatRequest request);

    /**
     * Answers within the call's time and stops when it is cancelled. Runs on a call thread (a virtual
     * thread on JDK 21+, a thread of the bounded call pool on Java 17), so it may block.
     */
    default ChatResponse chat(ChatRequest request, CallContext call) {
        return chat(request);
    }

    /** Starts a streamed answer within the call's time; the stream is closed when the call is cancelled. */
    default ChatStream stream(ChatRequest request, CallContext call) {
        return stream(request);
    }

    /**
     * Starts a streamed answer. The upstream has accepted the request when this returns (an HTTP error
     * status is thrown here, not from the stream).
     */
    ChatStream stream(ChatRequest request);

    /**
     * The provider's own health (e.g. a local model loaded and answering), for the producer health check;
     * null when it has none, and then the component probes OpenAI- and Anthropic-format upstreams over
     * HTTP. Called on the health-check thread: keep it quick.
     */
    default ProviderHealth health() {
        return null;
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
