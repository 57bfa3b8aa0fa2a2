package dev.camelllm.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.observability.LlmObservability;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance of a shared-cache test (as a gateway instance would be): its own CamelContext, llm component,
 * connection to the shared state store and meters, with the {@link CacheRoutes} routes to one endpoint.
 */
public final class CacheInstance implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<ChatChunk> streamed = new CopyOnWriteArrayList<>();
    private final ProducerTemplate template;

    /** Started on the state store at {@code stateStore} (redis://…), its endpoint at {@code uri}. */
    public CacheInstance(String stateStore, String uri) throws Exception {
        this(stateStore, uri, llm -> { });
    }

    /** As {@link #CacheInstance(String, String)}, with more component options set by {@code configure}. */
    public CacheInstance(String stateStore, String uri, Consumer<LlmComponent> configure) throws Exception {
        context.getRegistry().bind(LlmObservability.CAMEL_METRICS_REGISTRY, meters);
        LlmComponent llm = new LlmComponent();
        llm.setStateStore(stateStore);
        // a cache never fails a call, whatever the limits' failure mode says
        llm.setStateStoreFailureMode("fail-closed");
        configure.accept(llm);
        context.addComponent("llm", llm);
        context.addRoutes(CacheRoutes.routes(uri, streamed));
        context.start();
        template = context.createProducerTemplate();
    }

    /** Asks through direct:in, with a system prompt and a gateway key when not null; the call must answer. */
    public Exchange ask(String text, String systemPrompt, String gatewayKey) {
        return CacheRoutes.ask(template, text, systemPrompt, gatewayKey, null);
    }

    public Exchange ask(String text) {
        return ask(text, null, null);
    }

    /** Asks through direct:stream and returns the chunks streamed. */
    public List<ChatChunk> stream(String text) {
        return streamExchange(text).chunks();
    }

    /** The streamed exchange and its chunks. */
    public Streamed streamExchange(String text) {
        streamed.clear();
        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody(text));
        assertThat(out.getException()).isNull();
        return new Streamed(out, List.copyOf(streamed));
    }

    public record Streamed(Exchange exchange, List<ChatChunk> chunks) {
    }

    /** The count of a counter of this instance (see {@link CacheRoutes#count}). */
    public double count(String name, String... tags) {
        return CacheRoutes.count(meters, name, tags);
    }

    @Override
    public void close() {
        context.stop();
    }
}
