package dev.camelllm.component;

import java.util.concurrent.ExecutorService;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import dev.camelllm.spi.ChatProvider;

/**
 * Sends a prompt to a language model, cloud or local, and returns the answer; streamed token by token
 * when asked.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "llm", title = "LLM", syntax = "llm:name", producerOnly = true,
             category = { Category.AI }, headersClass = LlmConstants.class)
public class LlmEndpoint extends DefaultEndpoint {

    @UriPath(description = "The endpoint name: a profile (task) name such as chat, or any name when the options say everything")
    @Metadata(required = true)
    private final String name;
    @UriParam
    private LlmConfiguration configuration;

    private ChatProvider provider;
    private RequestFactory requestFactory;

    public LlmEndpoint(String uri, LlmComponent component, String name, LlmConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new LlmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The llm: component has no consumer; use it with to(\"llm:...\")");
    }

    @Override
    public LlmComponent getComponent() {
        return (LlmComponent) super.getComponent();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        OptionValidator.validate(configuration);
        requestFactory = new RequestFactory(configuration);
        provider = getComponent().createProvider(configuration);
    }

    @Override
    protected void doStop() throws Exception {
        if (provider != null) {
            provider.close();
            provider = null;
        }
        super.doStop();
    }

    ExecutorService newWorkerPool(Object source) {
        return getCamelContext().getExecutorServiceManager().newCachedThreadPool(source, "llm-" + name);
    }

    public String getName() {
        return name;
    }

    public LlmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(LlmConfiguration configuration) {
        this.configuration = configuration;
    }

    public ChatProvider getProvider() {
        return provider;
    }

    RequestFactory getRequestFactory() {
        return requestFactory;
    }
}
