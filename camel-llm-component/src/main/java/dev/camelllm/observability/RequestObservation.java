package dev.camelllm.observability;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.execution.Call;
import dev.camelllm.observability.tracing.CallSpan;
import dev.camelllm.observability.tracing.LlmTracing;
import dev.camelllm.resilience.CallStats;
import dev.camelllm.resilience.ResilientProvider;
import dev.camelllm.resilience.TokenEstimate;
import dev.camelllm.spi.Redactor;
import dev.camelllm.state.Reservation;

/**
 * One request's observation, from the producer taking the exchange to the answer (or the stream's end):
 * checks each profile's budget before its provider is called, counts fallbacks, and at the end records
 * the metrics, sets the cost header, charges the budget and writes the request's log line, exactly once.
 */
public final class RequestObservation {

    private static final Logger LOG = LoggerFactory.getLogger(RequestObservation.class);

    private final LlmObservability owner;
    private final Exchange exchange;
    private final LlmEndpoint called;
    private final CallStats stats = new CallStats();
    private final long startNanos = System.nanoTime();
    private final Set<String> keys = new CopyOnWriteArraySet<>();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private final AtomicInteger providerCalls = new AtomicInteger();
    private volatile LlmEndpoint target;
    private volatile ChatRequest request;
    private volatile boolean stream;
    /** The caller's OTel context (the route's span, if any), taken on the thread that handed us the exchange. */
    private final Context callerContext;
    private volatile CallSpan span;
    /** Budget reservations by profile (the endpoint's, then each fallback's), settled when the call ends. */
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    /** Answered from the response cache: no provider was called, nothing is charged. */
    private volatile boolean cacheHit;
    /** What the exchange asks for: a chat call until {@link #startedEmbedding} says otherwise. */
    private volatile String operation = RequestRecord.CHAT;

    RequestObservation(LlmObservability owner, Exchange exchange, LlmEndpoint called) {
        this.owner = owner;
        this.exchange = exchange;
        this.called = called;
        this.target = called;
        // null when no OpenTelemetry SDK is installed: no span is made at all
        this.callerContext = owner.tracing().enabled() ? LlmTracing.callerContext() : null;
        addKey(called);
    }

    private String requestId() {
        return requestIdOf(exchange);
    }

    /** The request id of an exchange: its CamelLlmRequestId property (the gateway's request id), else the exchange id. */
    public static String requestIdOf(Exchange exchange) {
        String id = exchange.getProperty(LlmConstants.REQUEST_ID_PROPERTY, String.class);
        return id != null ? id : exchange.getExchangeId();
    }

    /** Attempts and waits of the whole call, over all fallbacks. */
    public CallStats stats() {
        return stats;
    }

    /** The request is built: the endpoint that serves it (after CamelLlmTask), the request, streamed or not. */
    public void started(LlmEndpoint target, ChatRequest request, boolean stream) {
        this.target = target;
        this.request = request;
        this.stream = stream;
        addKey(target);
        try {
            span = callerContext == null ? null
                    : owner.tracing().start(callerContext, target.getName(), providerName(target), request,
                            request.model() != null ? request.model() : modelOf(target), stream,
                            target.getConfiguration().isTraceContent(), this::redact);
        } catch (RuntimeException e) {
            // tracing must never fail a request
            LOG.warn("Could not start the llm span of {}: {}", requestId(), e.toString());
        }
        if (target.getConfiguration().isLogPrompts() && RequestLog.promptsEnabled()) {
            RequestLog.logText(requestId(), "prompt", render(request), this::redact);
        }
    }

    /**
     * The answer comes from the response cache: it is recorded with no tokens and no cost, and charges no
     * budget (no provider was called); the span says so.
     */
    public void servedFromCache() {
        cacheHit = true;
        CallSpan s = span;
        if (s != null) {
            s.cacheHit();
        }
    }

    /** The call is open: its attempts become spans of this request's trace. */
    public void attach(Call call) {
        CallSpan s = span;
        if (s != null) {
            call.observeAttempts(s);
        }
    }

    /** Makes the call's span current on the thread that runs the call; close it there. */
    public Scope activate() {
        CallSpan s = span;
        return s == null ? Scope.noop() : s.activate();
    }

    /**
     * Runs the provider work of one profile: the endpoint's own (after {@link #beforeCall}), or a
     * fallback's, which gets a span of its own that its attempts go under.
     */
    public <T> T onProfile(LlmEndpoint endpoint, Supplier<T> work) {
        CallSpan s = span;
        if (s == null || endpoint == target) {
            beforeCall(endpoint);
            return work.get();
        }
        return s.fallback(endpoint.getName(), providerName(endpoint), modelOf(endpoint), () -> {
            beforeCall(endpoint);
            return work.get();
        });
    }

    /**
     * Before a profile's provider is called (the endpoint's own, then each fallback): refuses the call when
     * the profile's budget is spent, and counts a fallback.
     */
    public void beforeCall(LlmEndpoint endpoint) {
        addKey(endpoint);
        LlmEndpoint first = target;
        if (endpoint != first) {
            owner.metrics().fallbackTaken(first.getName(), endpoint.getName());
        }
        try {
            Reservation r = owner.budgets().reserve(endpoint.getName(), endpoint.getConfiguration(),
                    estimatedCost(endpoint), providerName(endpoint), modelOf(endpoint), null);
            if (r != null) {
                Reservation earlier = reservations.put(endpoint.getName(), r);
                if (earlier != null) {
                    earlier.settle(0); // the same profile again (a fallback chain that returns to it)
                }
            }
        } catch (LlmBudgetExceededException e) {
            owner.metrics().budgetRejected(endpoint.getName());
            throw e;
        }
        providerCalls.incrementAndGet();
    }

    /**
     * What a budget holds for the call before it goes out: the input estimate and the output it may write
     * (maxTokens; without one, as much as the input), at the profile's prices. Zero without a price.
     */
    private BigDecimal estimatedCost(LlmEndpoint endpoint) {
        if (endpoint.getConfiguration().getBudget() == null) {
            return BigDecimal.ZERO;
        }
        ChatRequest r = request;
        long input = r == null ? 0 : TokenEstimate.input(r);
        Integer max = r != null && r.maxTokens() != null ? r.maxTokens() : endpoint.getConfiguration().getMaxTokens();
        long output = max != null ? max : input;
        String model = r != null && r.model() != null && endpoint == target ? r.model() : modelOf(endpoint);
        return owner.prices().cost(cacheReadsInInput(endpoint), model, model, new Usage(input, output))
                .orElse(BigDecimal.ZERO);
    }

    /** Gives back what the reservations still hold: the call ended without (more) cost to charge. */
    private void releaseReservations() {
        for (String profile : reservations.keySet()) {
            Reservation r = reservations.remove(profile);
            if (r != null) {
                r.settle(0);
            }
        }
    }

    /** The answer (for a stream: the finished stream). Sets CamelLlmCost on the exchange's message. */
    public void succeeded(ChatResponse response, LlmEndpoint answeredBy, String fallback) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        try {
            record(response, answeredBy, fallback);
        } catch (RuntimeException e) {
            // observing must never fail an answered request
            LOG.warn("Could not record the llm request {}: {}", requestId(), e.toString());
        } finally {
            releaseReservations();
        }
        CallSpan s = span;
        if (s != null) {
            try {
                s.succeeded(cacheHit ? withoutUsage(response) : response,
                        response.provider() != null ? response.provider() : providerName(answeredBy),
                        fallback, stats.attempts());
            } catch (RuntimeException e) {
                LOG.warn("Could not end the llm span of {}: {}", requestId(), e.toString());
            }
        }
    }

    private void record(ChatResponse response, LlmEndpoint answeredBy, String fallback) {
        String provider = response.provider() != null ? response.provider() : providerName(answeredBy);
        String requestModel = answeredBy == target && request != null && request.model() != null ? request.model()
                : modelOf(answeredBy);
        Usage usage = cacheHit || response.usage() == null ? Usage.EMPTY : response.usage();
        Optional<BigDecimal> cost = cacheHit ? Optional.of(BigDecimal.ZERO)
                : owner.prices().cost(cacheReadsInInput(answeredBy), response.model(), requestModel, usage);
        Message message = exchange.getMessage();
        if (cacheHit) {
            message.setHeader(LlmConstants.COST, 0.0);
        } else if (cost.isPresent()) {
            message.setHeader(LlmConstants.COST, cost.get().doubleValue());
            owner.budgets().charge(answeredBy.getName(), answeredBy.getConfiguration(), cost.get(),
                    reservations.remove(answeredBy.getName()));
        } else {
            message.removeHeader(LlmConstants.COST);
        }
        owner.finished(new RequestRecord(requestId(), target.getName(), provider, requestModel,
                response.model(), stream, null, 0, null, usage, stream ? response.timeToFirstTokenMs() : -1,
                elapsedMs(), response.tokensPerSecond(), stats.attempts(), retries(), fallback,
                cost.map(BigDecimal::doubleValue).orElse(null), RequestRecord.CHAT), this::redact,
                DeferredRequestLog.of(exchange), gatewayKey(), cacheHit);
        if (answeredBy.getConfiguration().isLogPrompts() && RequestLog.promptsEnabled()) {
            RequestLog.logText(requestId(), "completion", response.text(), this::redact);
        }
    }

    /**
     * The exchange embeds (operation=embed) on {@code target}: its record and its span ("embeddings {model}"),
     * a success or a failure, are under the operation {@code embeddings}.
     */
    public void startedEmbedding(LlmEndpoint target) {
        this.target = target;
        this.operation = RequestRecord.EMBEDDINGS;
        addKey(target);
        try {
            span = callerContext == null ? null
                    : owner.tracing().startEmbeddings(callerContext, target.getName(), providerName(target),
                            modelOf(target), this::redact);
        } catch (RuntimeException e) {
            // tracing must never fail a request
            LOG.warn("Could not start the llm span of {}: {}", requestId(), e.toString());
        }
    }

    /**
     * The embedding is answered: recorded with its input tokens and, when its model has a price, its cost.
     * {@code providerCalls} is the number of batches: the attempts beyond them were retries.
     */
    public void embedded(EmbeddingResponse response, int attempts, int providerCalls) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        try {
            LlmEndpoint t = target;
            String requestModel = modelOf(t);
            Optional<BigDecimal> cost = owner.prices().cost(false, response.model(), requestModel, response.usage());
            String provider = response.provider() != null ? response.provider() : providerName(t);
            owner.finished(new RequestRecord(requestId(), t.getName(), provider, requestModel, response.model(), false,
                    null, 0, null, response.usage(), -1, elapsedMs(), 0, attempts, Math.max(0, attempts - providerCalls),
                    null, cost.map(BigDecimal::doubleValue).orElse(null), RequestRecord.EMBEDDINGS), this::redact,
                    DeferredRequestLog.of(exchange), gatewayKey(), false);
        } catch (RuntimeException e) {
            // observing must never fail an answered request
            LOG.warn("Could not record the llm request {}: {}", requestId(), e.toString());
        }
        CallSpan s = span;
        if (s != null) {
            try {
                s.embedded(response.provider() != null ? response.provider() : providerName(target), response.model(),
                        response.usage().inputTokens(), attempts);
            } catch (RuntimeException e) {
                LOG.warn("Could not end the llm span of {}: {}", requestId(), e.toString());
            }
        }
    }

    /** The call failed (before an answer, or a stream after its first output). */
    public void failed(Throwable error) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        try {
            record(error);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the llm request {}: {}", requestId(), e.toString());
        } finally {
            // an upstream that failed charged nothing: what the budgets held goes back
            releaseReservations();
        }
        CallSpan s = span;
        if (s != null) {
            try {
                s.failed(error, error instanceof LlmException e && e.provider() != null ? e.provider() : null,
                        stats.attempts());
            } catch (RuntimeException e) {
                LOG.warn("Could not end the llm span of {}: {}", requestId(), e.toString());
            }
        }
    }

    private void record(Throwable error) {
        LlmEndpoint t = target;
        LlmException e = error instanceof LlmException le ? le : null;
        String provider = e != null && e.provider() != null ? e.provider() : providerName(t);
        String model = e != null && e.model() != null ? e.model()
                : request != null && request.model() != null ? request.model() : modelOf(t);
        String type = e != null ? e.kind().name() : error.getClass().getSimpleName();
        owner.finished(new RequestRecord(requestId(), t.getName(), provider, model, null, stream, type,
                e != null ? e.statusCode() : 0, redact(error.getMessage()), Usage.EMPTY, -1, elapsedMs(), 0,
                stats.attempts(), retries(), null, null, operation), this::redact, DeferredRequestLog.of(exchange),
                gatewayKey(), false);
    }

    /** The exchange is done: a stream that neither finished nor failed was abandoned by the route. */
    public void done() {
        if (!recorded.get()) {
            failed(new LlmException(ErrorKind.CANCELLED, providerName(target), modelOf(target),
                    "the route completed before the stream ended"));
        }
    }

    /** The gateway key's name the request came with (the gateway sets it), else null. */
    private String gatewayKey() {
        return exchange.getProperty(LlmConstants.GATEWAY_KEY_PROPERTY, String.class);
    }

    private static ChatResponse withoutUsage(ChatResponse r) {
        return new ChatResponse(r.message(), r.finishReason(), r.rawFinishReason(), Usage.EMPTY, r.provider(), r.model(),
                r.timeToFirstTokenMs(), r.durationMs());
    }

    private int retries() {
        // every provider call makes one first attempt; the other attempts were retries
        return Math.max(0, stats.attempts() - providerCalls.get());
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void addKey(LlmEndpoint endpoint) {
        String key = endpoint == null ? null : endpoint.getConfiguration().getApiKey();
        if (key != null && !key.isBlank()) {
            keys.add(key.trim());
        }
    }

    String redact(String text) {
        return Redactor.redactAll(text, keys);
    }

    private static String providerName(LlmEndpoint endpoint) {
        ResilientProvider p = endpoint.getProvider();
        return p != null ? p.name() : endpoint.getConfiguration().getProvider();
    }

    /** Whether the provider's usage counts cache reads within the input tokens (the SPI says; no provider names here). */
    private static boolean cacheReadsInInput(LlmEndpoint endpoint) {
        ResilientProvider p = endpoint.getProvider();
        return p != null && p.delegate().usageCountsCacheReadsInInput();
    }

    private static String modelOf(LlmEndpoint endpoint) {
        ResilientProvider p = endpoint.getProvider();
        return p != null ? p.model() : endpoint.getConfiguration().getModel();
    }

    private static String render(ChatRequest request) {
        StringBuilder sb = new StringBuilder();
        String system = request.systemPrompt();
        if (system != null) {
            sb.append("system: ").append(system);
        }
        for (ChatMessage m : request.messages()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(m.role().name().toLowerCase()).append(": ").append(m.text());
        }
        return sb.toString();
    }
}
