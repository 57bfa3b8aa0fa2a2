package dev.camelllm.component;

import java.util.concurrent.ExecutorService;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;

/**
 * Sends the exchange's request to the endpoint's provider on a worker thread, so that Camel's routing
 * thread never blocks on the network. A streamed body is closed through a {@code Synchronization} when
 * the exchange completes, also on failure, which releases the connection.
 */
public class LlmProducer extends DefaultAsyncProducer {

    private final LlmEndpoint endpoint;
    private ExecutorService workers;

    public LlmProducer(LlmEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        workers = endpoint.newWorkerPool(this);
    }

    @Override
    protected void doStop() throws Exception {
        if (workers != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(workers);
            workers = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ChatRequest request;
        boolean stream;
        try {
            request = endpoint.getRequestFactory().create(exchange);
            Boolean streamHeader = exchange.getMessage().getHeader(LlmConstants.STREAM, Boolean.class);
            stream = streamHeader != null ? streamHeader : endpoint.getConfiguration().isStream();
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        workers.execute(() -> {
            try {
                if (stream) {
                    startStream(exchange, request);
                } else {
                    call(exchange, request);
                }
            } catch (Throwable t) {
                exchange.setException(t);
            } finally {
                callback.done(false);
            }
        });
        return false;
    }

    private void call(Exchange exchange, ChatRequest request) {
        ChatProvider provider = endpoint.getProvider();
        long start = System.nanoTime();
        ChatResponse response = provider.chat(request);
        if (response.durationMs() <= 0) {
            response = response.withTimings(-1, (System.nanoTime() - start) / 1_000_000);
        }
        Message message = exchange.getMessage();
        ResponseHeaders.apply(exchange, message, response);
        message.setBody(endpoint.getConfiguration().isFullResponse() ? response : response.text());
    }

    private void startStream(Exchange exchange, ChatRequest request) {
        ChatProvider provider = endpoint.getProvider();
        long start = System.nanoTime();
        ChatStream chatStream = provider.stream(request);
        Message message = exchange.getMessage();
        String model = request.model() != null ? request.model() : provider.model();
        StreamingBody body = new StreamingBody(chatStream,
                "text".equals(endpoint.getConfiguration().getStreamFormat()), start, provider.name(), model,
                response -> ResponseHeaders.apply(exchange, message, response));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                body.close();
            }
        });
        message.setBody(body);
    }
}
