package dev.camelllm.component;

import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Embeds a prompt for the semantic cache through an {@code llm:…?operation=embed} endpoint, so that the
 * embedding call has what every call has (its profile's caps, resilience and deadline). One template per
 * component, made on first use and stopped with the component.
 */
final class PromptEmbedder {

    /** The most an embedding may take before the semantic cache gives up on it (the call then goes on uncached). */
    static final long DEADLINE_MS = 30_000;

    private final Supplier<CamelContext> context;
    private volatile ProducerTemplate template;

    PromptEmbedder(Supplier<CamelContext> context) {
        this.context = context;
    }

    /**
     * The prompt's vector; throws when the endpoint fails or does not answer one vector. The embedding's
     * exchange carries {@code requestId}, the id of the request whose prompt it is, as its CamelLlmRequestId.
     */
    float[] embed(String uri, String text, String requestId) {
        Exchange done = template().request(uri, e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(LlmConstants.DEADLINE, DEADLINE_MS);
            e.setProperty(LlmConstants.REQUEST_ID_PROPERTY, requestId);
        });
        if (done.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
        }
        Object out = done.getMessage().getBody();
        if (out instanceof float[] vector && vector.length > 0) {
            return vector;
        }
        throw new IllegalStateException("The endpoint of semanticCacheEmbedUri did not answer a vector (it answered "
                + (out == null ? "nothing" : "a " + out.getClass().getName()) + "): use an llm: endpoint with operation=embed");
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                t = template;
                if (t == null) {
                    t = context.get().createProducerTemplate();
                    template = t;
                }
            }
        }
        return t;
    }

    void stop() {
        ProducerTemplate t;
        synchronized (this) {
            t = template;
            template = null;
        }
        if (t != null) {
            try {
                t.stop();
            } catch (RuntimeException e) {
                // stopping: nothing left to do with it
            }
        }
    }
}
