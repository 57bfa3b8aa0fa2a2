package dev.camelllm.component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.StreamRecording;
import dev.camelllm.execution.Call;
import dev.camelllm.execution.CallThreads;
import dev.camelllm.execution.Calls;
import dev.camelllm.execution.Cancellation;
import dev.camelllm.observability.RequestObservation;
import dev.camelllm.resilience.BackoffOnCallThread;
import dev.camelllm.resilience.CallStats;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.structured.StructuredOutput;
import dev.camelllm.tools.ToolLoop;

/**
 * Sends the exchange's request to the provider. A caller on a virtual thread (a platform-http route on
 * JDK 21+, a gateway request) runs the call inline: a blocked virtual thread costs no platform thread. Any
 * other caller hands the call to a call thread (a virtual thread, or the bounded pool on Java 17), so that
 * Camel's routing thread never blocks on the network. One exception: an embedding by a model in this JVM
 * ({@link dev.camelllm.spi.EmbeddingProvider#inProcess()}) runs inline on a platform caller's thread too
 * when it would not wait (one batch, a free slot of the model, no rate limit or full cap): it is CPU work the
 * caller waits for anyway, and the two hand-offs cost more than a short prompt's run. Should that run fail
 * and its retry need a backoff, the rest of the call (the backoff, then the attempts left) moves to a call
 * thread and the exchange completes from there: no wait of a call sleeps on a platform caller's thread.
 *
 * <p>A request that may be answered from a cache is looked up on the call's thread too (the semantic cache
 * embeds the prompt, a shared cache asks Redis); its {@link Call} opens only after a miss.
 *
 * <p>Every exchange that calls the provider gets one {@link Call}: a place under the component's and the
 * profile's caps (a full cap sheds at once), one deadline over its attempts, waits and fallbacks, and a
 * cancel signal (the gateway's client left, the route or the context stops). A streamed body is handed on
 * once its first output arrived (until then a failure can still be retried or fall back); the stream is
 * closed and the call's place given back through a {@code Synchronization} when the exchange completes,
 * also on failure.
 */
public class LlmProducer extends DefaultAsyncProducer {

    private final LlmEndpoint endpoint;
    /** This producer's open calls, cancelled when it stops (its route stops). */
    private final Set<Call> open = ConcurrentHashMap.newKeySet();

    public LlmProducer(LlmEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStop() throws Exception {
        for (Call call : open) {
            call.cancel("the route of " + endpoint.getEndpointUri() + " stopped");
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        RequestObservation observation = endpoint.getComponent().observability().begin(exchange, endpoint);
        Calls calls = endpoint.getComponent().calls();
        LlmEndpoint target;
        ChatRequest request;
        StructuredOutput structured;
        boolean stream;
        Duration deadline;
        Call call;
        CacheUse cache;
        try {
            Message in = exchange.getMessage();
            target = endpoint.forTask(in.getHeader(LlmConstants.TASK, String.class));
            // the calling route consumes the answer: its endpoint's operation and output options decide the
            // body's form, also when a task header (or, later, a fallback) hands the call to another profile
            LlmConfiguration caller = endpoint.getConfiguration();
            String operation = caller.getOperation();
            if (Operations.HEALTH_CHECK.equals(operation)) {
                return dispatch(calls, exchange, callback, () -> exchange.getMessage().setBody(Operations.healthCheck(target)),
                        null, observation);
            }
            if (Operations.EMBED.equals(operation)) {
                return embed(exchange, callback, target, caller, calls, observation);
            }
            Operations.prepare(operation, exchange, caller);
            request = target.getRequestFactory().create(exchange);
            if (Operations.COUNT_TOKENS.equals(operation)) {
                ChatRequest counted = request;
                return dispatch(calls, exchange, callback, () -> Operations.countTokens(target, counted, exchange.getMessage()),
                        null, observation);
            }
            // a response format the request brought (a gateway client's schema) that cannot be used fails here, before any call
            structured = endpoint.structuredOutput(request);
            stream = Operations.streams(operation, in.getHeader(LlmConstants.STREAM, Boolean.class), caller.isStream());
            if (target.getToolLoop() != null) {
                if (stream) {
                    throw new LlmInvalidRequestException(null, request.model(),
                            "Streaming is not supported with toolEndpointPrefix (the tool loop): do not stream on this endpoint");
                }
                target.getToolLoop().checkDeclared(request);
            }
            deadline = deadline(in, target);
            observation.started(target, request, stream);
            cache = CacheUse.of(target, request, exchange);
            // with a cache the call opens on its own thread, after the lookup missed: the lookup may embed the
            // prompt and ask Redis, which must not hold the caller's thread (a platform thread on Java 17)
            call = cache == null ? open(calls, exchange, deadline, target, observation) : null;
        } catch (Exception e) {
            observation.failed(e);
            fail(exchange, e);
            callback.done(true);
            return true;
        }
        if (cache == null) {
            return dispatch(calls, exchange, callback, work(exchange, target, request, structured, stream, observation, call, null),
                    call, observation);
        }
        return dispatch(calls, exchange, callback, () -> {
            CachedAnswer hit = cache.lookup(exchange.getMessage());
            if (hit != null) {
                // no provider, no place under the caps, no rate limit or budget: the answer is here
                observation.servedFromCache();
                if (stream) {
                    CachedReplies.stream(endpoint.getConfiguration(), exchange, target, request, structured, hit, observation);
                } else {
                    CachedReplies.answer(endpoint.getConfiguration(), exchange, target, structured, hit, observation);
                }
                return;
            }
            Call opened = open(calls, exchange, deadline, target, observation);
            work(exchange, target, request, structured, stream, observation, opened, cache).run();
        }, null, observation);
    }

    /** Opens the exchange's call (a full cap sheds it here), cancelled with the exchange's linked cancellation. */
    private Call open(Calls calls, Exchange exchange, Duration deadline, LlmEndpoint target, RequestObservation observation) {
        Call call = calls.open(deadline, target.inFlight(), target.getName());
        observation.attach(call);
        open.add(call);
        Cancellation linked = exchange.getProperty(LlmConstants.CANCELLATION_PROPERTY, Cancellation.class);
        if (linked != null) {
            linked.onCancel(() -> call.cancel(linked.reason()));
        }
        return call;
    }

    /** The provider call, on whichever thread runs it, with the call's span current so that what it calls nests under it. */
    private Runnable work(Exchange exchange, LlmEndpoint target, ChatRequest request, StructuredOutput structured,
                          boolean stream, RequestObservation observation, Call call, CacheUse cache) {
        return stream
                ? () -> {
                    try (var traced = observation.activate()) {
                        startStream(exchange, target, request, structured, observation, call, cache);
                    } catch (RuntimeException | Error e) {
                        end(call); // no stream was handed on, so no Synchronization gives the place back
                        throw e;
                    }
                }
                : () -> {
                    try (var traced = observation.activate()) {
                        call(exchange, target, request, structured, observation, call, cache);
                    } finally {
                        end(call);
                    }
                };
    }

    /**
     * Operation embed: one call (a place under the caps, one deadline, the cancel signal) over every batch of
     * the body's inputs; each batch goes through the resilience layer. Bad input fails before any call. A
     * local embedding that {@link Embeddings#runsOnCaller} runs on a platform caller's thread; should it need a
     * retry's backoff, the rest of the call (backoff first) goes on on a call thread and completes later.
     */
    private boolean embed(Exchange exchange, AsyncCallback callback, LlmEndpoint target, LlmConfiguration caller,
                          Calls calls, RequestObservation observation) {
        observation.startedEmbedding(target);
        EmbeddingRequest request = Embeddings.request(exchange, target);
        boolean single = exchange.getMessage().getBody() instanceof CharSequence;
        Call call = calls.open(deadline(exchange.getMessage(), target), target.inFlight(), target.getName());
        observation.attach(call);
        open.add(call);
        Cancellation linked = exchange.getProperty(LlmConstants.CANCELLATION_PROPERTY, Cancellation.class);
        if (linked != null) {
            linked.onCancel(() -> call.cancel(linked.reason()));
        }
        CallStats stats = new CallStats();
        if (CallThreads.onVirtualThread() || !Embeddings.runsOnCaller(target, request)) {
            // a virtual caller runs it inline and may wait; any other goes to a call thread
            return dispatch(calls, exchange, callback, answer(exchange, request, stats, caller, single, call,
                    () -> Embeddings.embed(target, request, stats, call), target, observation), call, observation);
        }
        try {
            EmbeddingResponse response = Embeddings.embedOnCaller(target, request, stats, call);
            end(call);
            embedded(exchange, request, response, stats, caller, single, target, observation);
        } catch (BackoffOnCallThread moved) {
            // the call stays open: its place, deadline, cancel signal and attempts go on with it
            return dispatch(calls, exchange, callback, answer(exchange, request, stats, caller, single, call,
                    () -> Embeddings.resume(target, request, stats, call, moved), target, observation), call, observation);
        } catch (Throwable t) {
            end(call);
            observation.failed(t);
            fail(exchange, t);
        }
        callback.done(true);
        return true;
    }

    /** Work for a call thread: the embedding, its answer on the exchange, then the call's end (also on failure). */
    private Runnable answer(Exchange exchange, EmbeddingRequest request, CallStats stats, LlmConfiguration caller,
                            boolean single, Call call, Supplier<EmbeddingResponse> embedding, LlmEndpoint target,
                            RequestObservation observation) {
        return () -> {
            try {
                embedded(exchange, request, embedding.get(), stats, caller, single, target, observation);
            } finally {
                end(call);
            }
        };
    }

    /** Sets the embedding's answer (the vectors, or the response, and the headers), then records it. */
    private static void embedded(Exchange exchange, EmbeddingRequest request, EmbeddingResponse response, CallStats stats,
                                 LlmConfiguration caller, boolean single, LlmEndpoint target, RequestObservation observation) {
        exchange.getMessage().setHeader(LlmConstants.ATTEMPTS, stats.attempts());
        Embeddings.apply(exchange, request, response, caller.isFullResponse(), single);
        observation.embedded(response, stats.attempts(), Embeddings.batches(target, request));
    }

    /** Runs the work inline on a virtual thread, else on a call thread; a full pool sheds at once. */
    private boolean dispatch(Calls calls, Exchange exchange, AsyncCallback callback, Runnable work, Call call,
                             RequestObservation observation) {
        if (CallThreads.onVirtualThread()) {
            run(exchange, work, call, observation);
            callback.done(true);
            return true;
        }
        try {
            calls.threads().execute(() -> {
                try {
                    run(exchange, work, call, observation);
                } finally {
                    callback.done(false);
                }
            });
            return false;
        } catch (RejectedExecutionException e) {
            RuntimeException shed = calls.threads().platformThreads() > 0
                    ? Calls.shed("the component", new dev.camelllm.execution.InFlightLimit("platformThreads",
                            calls.threads().platformThreads()))
                    : e;
            if (call != null) {
                end(call);
            }
            observation.failed(shed);
            fail(exchange, shed);
            callback.done(true);
            return true;
        }
    }

    private static void run(Exchange exchange, Runnable work, Call call, RequestObservation observation) {
        try {
            work.run();
        } catch (Throwable t) {
            observation.failed(t);
            fail(exchange, t);
        }
    }

    private void end(Call call) {
        open.remove(call);
        endpoint.getComponent().calls().finish(call);
    }

    /** The CamelLlmDeadline header (milliseconds), else the target's deadline option. */
    private static Duration deadline(Message in, LlmEndpoint target) {
        Object header = in.getHeader(LlmConstants.DEADLINE);
        if (header == null) {
            return Duration.ofMillis(target.getConfiguration().getDeadline());
        }
        Long ms;
        try {
            ms = in.getHeader(LlmConstants.DEADLINE, Long.class);
        } catch (RuntimeException e) {
            ms = null;
        }
        if (ms == null || ms <= 0) {
            throw new LlmInvalidRequestException(null, null, "Header " + LlmConstants.DEADLINE + " must be a positive number "
                    + "of milliseconds, was '" + header + "'");
        }
        return Duration.ofMillis(ms);
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

    private void call(Exchange exchange, LlmEndpoint target, ChatRequest request, StructuredOutput checks,
                      RequestObservation observation, Call call, CacheUse cache) {
        CallStats stats = observation.stats();
        long start = System.nanoTime();
        FallbackRunner.Answered<ChatResponse> answer = FallbackRunner.run(target, request, exchange, call, (ep, req) ->
                observation.onProfile(ep, () -> refusalToChain(target, ep, ep.getProvider().chat(req, stats, call))));
        ChatResponse response = answer.result();
        ToolLoop tools = target.getToolLoop();
        LlmEndpoint answering = answer.answeredBy();
        // later rounds and re-asks stay on the provider that answered: the conversation carries its ids and signatures
        ChatRequest asked = answer.fallback() == null ? request : answering.getRequestFactory().create(exchange, false);
        if (tools != null) {
            ToolLoop.Outcome outcome = tools.run(asked, response, req -> answering.getProvider().chat(req, stats, call));
            response = outcome.response().withTimings(-1, (System.nanoTime() - start) / 1_000_000);
            exchange.getMessage().setHeader(LlmConstants.TOOL_ROUNDS, outcome.rounds());
        }
        Message message = exchange.getMessage();
        Object body = null;
        StructuredOutput structured = asked == request ? checks : endpoint.structuredOutput(asked);
        if (structured != null) {
            StructuredOutput.Result valid = structured.complete(asked, response,
                    req -> answering.getProvider().chat(req, stats, call));
            response = valid.response();
            // the JSON as validated (a fenced answer without its fence), or the object it became
            body = structured.outputClass() != null ? valid.value() : valid.json();
            message.setHeader(LlmConstants.STRUCTURED_OUTPUT_REPAIRS, valid.repairs());
        }
        if (response.durationMs() <= 0 || structured != null) {
            response = response.withTimings(-1, (System.nanoTime() - start) / 1_000_000);
        }
        ResponseHeaders.apply(exchange, message, response);
        markAttempts(message, stats, answer);
        if (cache != null && answer.fallback() == null) {
            // only the profile's own answer: a fallback's is another model's answer to the same key
            cache.store(response, null, false);
        }
        observation.succeeded(response, answer.answeredBy(), answer.fallback());
        message.setBody(endpoint.getConfiguration().isFullResponse() ? response : body != null ? body : response.text());
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

    private void startStream(Exchange exchange, LlmEndpoint target, ChatRequest request, StructuredOutput structured,
                             RequestObservation observation, Call call, CacheUse cache) {
        CallStats stats = observation.stats();
        long start = System.nanoTime();
        FallbackRunner.Answered<ChatStream> answer = FallbackRunner.run(target, request, exchange, call, (ep, req) ->
                observation.onProfile(ep, () -> {
                    ChatStream s = ep.getProvider().stream(req, stats, call);
                    try {
                        s.hasNext(); // waits for the first output: until then a failure may still retry or fall back
                    } catch (RuntimeException e) {
                        s.close();
                        throw e;
                    }
                    return s;
                }));
        LlmEndpoint answeredBy = answer.answeredBy();
        Message message = exchange.getMessage();
        String model = answeredBy == target && request.model() != null ? request.model() : answeredBy.getProvider().model();
        ChatStream stream = structured == null ? answer.result()
                : structured.validating(answer.result(), answeredBy.getProvider().name(), model);
        // only the profile's own answer is cached, once its stream has ended whole (and, with a schema, validated)
        StreamRecording recording = cache != null && cache.writes() && answer.fallback() == null ? new StreamRecording() : null;
        StreamingBody body = new StreamingBody(stream, exchange,
                "text".equals(endpoint.getConfiguration().getStreamFormat()), start,
                answeredBy.getProvider().name(), model,
                response -> {
                    // the message the exchange has when the stream ends (e.g. after returning from a sub-route)
                    ResponseHeaders.apply(exchange, exchange.getMessage(), response);
                    if (recording != null) {
                        cache.store(response, recording.whole(), true);
                    }
                    observation.succeeded(response, answeredBy, answer.fallback());
                });
        if (recording != null) {
            body.record(recording);
        }
        body.onFailure(observation::failed);
        // a cancelled call (client gone, route stopped) closes its stream, which wakes a blocked reader
        call.onCancel(body::close);
        markAttempts(message, stats, answer);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                body.close();
                end(call);
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
