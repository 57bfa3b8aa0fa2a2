package dev.camelllm.component;

import java.util.concurrent.ExecutorService;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.observability.RequestObservation;
import dev.camelllm.resilience.CallStats;
import dev.camelllm.spi.ChatStream;

/**
 * Sends the exchange's request to the provider on a worker thread, so that Camel's routing thread never
 * blocks on the network; retries, limits and fallbacks happen there too. A streamed body is handed on
 * once its first output arrived (until then a failure can still be retried or fall back), and it is
 * closed through a {@code Synchronization} when the exchange completes, also on failure, which releases
 * the connection.
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
        RequestObservation observation = endpoint.getComponent().observability().begin(exchange, endpoint);
        LlmEndpoint target;
        ChatRequest request;
        boolean stream;
        try {
            Message in = exchange.getMessage();
            target = endpoint.forTask(in.getHeader(LlmConstants.TASK, String.class));
            String operation = target.getConfiguration().getOperation();
            if (Operations.HEALTH_CHECK.equals(operation)) {
                workers.execute(() -> {
                    try {
                        exchange.getMessage().setBody(Operations.healthCheck(target));
                    } catch (Throwable t) {
                        fail(exchange, t);
                    } finally {
                        callback.done(false);
                    }
                });
                return false;
            }
            Operations.prepare(operation, exchange, target.getConfiguration());
            request = target.getRequestFactory().create(exchange);
            stream = Operations.streams(operation, in.getHeader(LlmConstants.STREAM, Boolean.class),
                    target.getConfiguration().isStream());
            if (stream && target.getToolLoop() != null) {
                throw new LlmInvalidRequestException(null, request.model(),
                        "Streaming is not supported with toolEndpointPrefix (the tool loop): do not stream on this endpoint");
            }
            observation.started(target, request, stream);
        } catch (Exception e) {
            observation.failed(e);
            fail(exchange, e);
            callback.done(true);
            return true;
        }
        workers.execute(() -> {
            try {
                if (stream) {
                    startStream(exchange, target, request, observation);
                } else {
                    call(exchange, target, request, observation);
                }
            } catch (Throwable t) {
                observation.failed(t);
                fail(exchange, t);
            } finally {
                callback.done(false);
            }
        });
        return false;
    }

    /**
     * Keeps the error in a header too, so that a route can catch it inside Camel's circuitBreaker EIP and
     * rethrow it after the EIP ({@link LlmErrors#rethrow}); only the message comes back out of the EIP.
     * Camel* headers are not sent out by HTTP components.
     */
    private static void fail(Exchange exchange, Throwable t) {
        exchange.setException(t);
        exchange.getMessage().setHeader(LlmConstants.ERROR, t);
    }

    private void call(Exchange exchange, LlmEndpoint target, ChatRequest request, RequestObservation observation) {
        CallStats stats = observation.stats();
        long start = System.nanoTime();
        FallbackRunner.Answered<ChatResponse> answer = FallbackRunner.run(target, request, exchange, (ep, req) -> {
            observation.beforeCall(ep);
            return refusalToChain(target, ep, ep.getProvider().chat(req, stats));
        });
        ChatResponse response = answer.result();
        ToolLoop tools = target.getToolLoop();
        if (tools != null) {
            // later rounds stay on the provider that answered: the conversation carries its tool call ids and signatures
            LlmEndpoint answering = answer.answeredBy();
            ChatRequest asked = answer.fallback() == null ? request : answering.getRequestFactory().create(exchange, false);
            ToolLoop.Outcome outcome = tools.run(asked, response, req -> answering.getProvider().chat(req, stats));
            response = outcome.response().withTimings(-1, (System.nanoTime() - start) / 1_000_000);
            exchange.getMessage().setHeader(LlmConstants.TOOL_ROUNDS, outcome.rounds());
        }
        if (response.durationMs() <= 0) {
            response = response.withTimings(-1, (System.nanoTime() - start) / 1_000_000);
        }
        Message message = exchange.getMessage();
        ResponseHeaders.apply(exchange, message, response);
        markAttempts(message, stats, answer);
        observation.succeeded(response, answer.answeredBy(), answer.fallback());
        message.setBody(answer.answeredBy().getConfiguration().isFullResponse() ? response : response.text());
    }

    /**
     * A refusal that arrives as an answer (finish_reason content_filter, stop_reason refusal) goes to the
     * endpoint's contentPolicyFallbacks chain when it has one, like a content-filter error status does;
     * without a chain it stays the answer, its finish reason saying so.
     */
    private static ChatResponse refusalToChain(LlmEndpoint target, LlmEndpoint answering, ChatResponse response) {
        String chain = target.getConfiguration().getContentPolicyFallbacks();
        if (answering == target && response.finishReason() == FinishReason.CONTENT_FILTER && chain != null
                && !chain.isBlank()) {
            throw new LlmRejectedException(ErrorKind.CONTENT_POLICY, response.provider(), response.model(), 0,
                    response.rawFinishReason(), null, "the model refused to answer (finish reason "
                    + response.rawFinishReason() + ")");
        }
        return response;
    }

    private void startStream(Exchange exchange, LlmEndpoint target, ChatRequest request,
                             RequestObservation observation) {
        CallStats stats = observation.stats();
        long start = System.nanoTime();
        FallbackRunner.Answered<ChatStream> answer = FallbackRunner.run(target, request, exchange, (ep, req) -> {
            observation.beforeCall(ep);
            ChatStream s = ep.getProvider().stream(req, stats);
            try {
                s.hasNext(); // waits for the first output: until then a failure may still retry or fall back
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        });
        LlmEndpoint answeredBy = answer.answeredBy();
        Message message = exchange.getMessage();
        String model = answeredBy == target && request.model() != null ? request.model() : answeredBy.getProvider().model();
        // the calling endpoint decides the body's format, also when a fallback answers: its route consumes it
        StreamingBody body = new StreamingBody(answer.result(), exchange,
                "text".equals(target.getConfiguration().getStreamFormat()), start,
                answeredBy.getProvider().name(), model,
                response -> {
                    // the message the exchange has when the stream ends (e.g. after returning from a sub-route)
                    ResponseHeaders.apply(exchange, exchange.getMessage(), response);
                    observation.succeeded(response, answeredBy, answer.fallback());
                });
        body.onFailure(observation::failed);
        markAttempts(message, stats, answer);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                body.close();
                observation.done();
            }
        });
        message.setBody(body);
    }

    private static void markAttempts(Message message, CallStats stats, FallbackRunner.Answered<?> answer) {
        message.setHeader(LlmConstants.ATTEMPTS, stats.attempts());
        if (answer.fallback() != null) {
            message.setHeader(LlmConstants.FALLBACK, answer.fallback());
        } else {
            message.removeHeader(LlmConstants.FALLBACK);
        }
    }
}
