package dev.camelllm.observability.tracing;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.Usage;
import dev.camelllm.execution.AttemptObserver;

import static dev.camelllm.observability.tracing.GenAiAttributes.*;

/**
 * The span of one llm: call ("chat {model}", or "embeddings {model}" for operation=embed; kind CLIENT) and its
 * children: one per attempt, and one per
 * fallback profile tried, under which that profile's attempts go. Attempts are parented explicitly on
 * the span in charge (the call's, or the fallback's while it runs), not on the thread's current context,
 * so that a call handed to another thread keeps its tree.
 */
public final class CallSpan implements AttemptObserver {

    private final Tracer tracer;
    private final Span span;
    private final Context context;
    private final boolean content;
    private final UnaryOperator<String> redact;
    /** Where attempts go: the call's context, or a running fallback's. */
    private volatile Context attemptParent;

    CallSpan(Tracer tracer, Context parent, String profile, String provider, ChatRequest request, String model,
             boolean stream, boolean content, UnaryOperator<String> redact) {
        this(tracer, parent, CHAT, profile, provider, request, model, stream, content, redact);
    }

    /** The span of an embedding call: no request parameters, never content (the inputs may be documents). */
    CallSpan(Tracer tracer, Context parent, String profile, String provider, String model, UnaryOperator<String> redact) {
        this(tracer, parent, EMBEDDINGS, profile, provider, null, model, false, false, redact);
    }

    private CallSpan(Tracer tracer, Context parent, String operation, String profile, String provider,
                     ChatRequest request, String model, boolean stream, boolean content, UnaryOperator<String> redact) {
        this.tracer = tracer;
        this.content = content;
        this.redact = redact;
        var builder = tracer.spanBuilder(spanName(operation, model)).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(PROVIDER_NAME, providerName(provider))
                .setAttribute(PROFILE, profile)
                .setAttribute(STREAM, stream);
        if (model != null) {
            builder.setAttribute(REQUEST_MODEL, model);
        }
        if (request != null) {
            chatParameters(builder, request);
        }
        this.span = builder.startSpan();
        this.context = parent.with(span);
        this.attemptParent = context;
        if (content && request != null && span.isRecording()) {
            span.setAttribute(INPUT_MESSAGES, TraceContent.input(request, redact));
            String system = TraceContent.system(request, redact);
            if (system != null) {
                span.setAttribute(SYSTEM_INSTRUCTIONS, system);
            }
        }
    }

    private static void chatParameters(SpanBuilder builder, ChatRequest request) {
        if (request.maxTokens() != null) {
            builder.setAttribute(REQUEST_MAX_TOKENS, request.maxTokens().longValue());
        }
        if (request.temperature() != null) {
            builder.setAttribute(REQUEST_TEMPERATURE, request.temperature());
        }
    }

    /** Makes the call's span current on the thread that runs the call (close on that thread). */
    public Scope activate() {
        return context.makeCurrent();
    }

    /** Runs one fallback profile's work under a span of its own ("fallback {profile}"). */
    public <T> T fallback(String profile, String provider, String model, Supplier<T> work) {
        Span fb = tracer.spanBuilder("fallback " + profile).setParent(context).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(FALLBACK, profile)
                .setAttribute(PROVIDER_NAME, providerName(provider))
                .setAttribute(REQUEST_MODEL, model == null ? "unknown" : model)
                .startSpan();
        Context fbContext = context.with(fb);
        attemptParent = fbContext;
        try (Scope ignored = fbContext.makeCurrent()) {
            T result = work.get();
            fb.end();
            return result;
        } catch (RuntimeException | Error e) {
            failed(fb, e);
            fb.end();
            throw e;
        } finally {
            attemptParent = context;
        }
    }

    @Override
    public Attempt begin(int number, String provider, String model) {
        Span attempt = tracer.spanBuilder("attempt " + number).setParent(attemptParent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(ATTEMPT, (long) number)
                .setAttribute(PROVIDER_NAME, providerName(provider))
                .setAttribute(REQUEST_MODEL, model == null ? "unknown" : model)
                .startSpan();
        return error -> {
            if (error != null) {
                failed(attempt, error);
            }
            attempt.end();
        };
    }

    /** The answer comes from the response cache: no attempt is made. */
    public void cacheHit() {
        span.setAttribute(CACHE_HIT, true);
    }

    /** The call answered (a stream: it finished). */
    public void succeeded(ChatResponse response, String provider, String fallback, int attempts) {
        span.setAttribute(PROVIDER_NAME, providerName(provider));
        if (response.model() != null) {
            span.setAttribute(RESPONSE_MODEL, response.model());
        }
        Usage usage = response.usage();
        if (usage != null) {
            span.setAttribute(USAGE_INPUT_TOKENS, (long) usage.inputTokens());
            span.setAttribute(USAGE_OUTPUT_TOKENS, (long) usage.outputTokens());
        }
        if (response.finishReason() != null) {
            span.setAttribute(RESPONSE_FINISH_REASONS, List.of(response.finishReason().value()));
        }
        span.setAttribute(ATTEMPTS, (long) attempts);
        if (fallback != null) {
            span.setAttribute(FALLBACK, fallback);
        }
        if (content && span.isRecording() && response.message() != null) {
            span.setAttribute(OUTPUT_MESSAGES, TraceContent.output(response, redact));
        }
        span.end();
    }

    /** The embedding answered: who, with which model, its input tokens. */
    public void embedded(String provider, String responseModel, long inputTokens, int attempts) {
        span.setAttribute(PROVIDER_NAME, providerName(provider));
        if (responseModel != null) {
            span.setAttribute(RESPONSE_MODEL, responseModel);
        }
        span.setAttribute(USAGE_INPUT_TOKENS, inputTokens);
        span.setAttribute(ATTEMPTS, (long) attempts);
        span.end();
    }

    /** The call failed, or a stream was left before its end. */
    public void failed(Throwable error, String provider, int attempts) {
        if (provider != null) {
            span.setAttribute(PROVIDER_NAME, providerName(provider));
        }
        span.setAttribute(ATTEMPTS, (long) attempts);
        failed(span, error);
        span.end();
    }

    /** error.type as the meters tag it (the ErrorKind, else the exception's class), and an error status. */
    private void failed(Span s, Throwable error) {
        s.setAttribute(ERROR_TYPE, errorType(error));
        String message = error.getMessage();
        s.setStatus(StatusCode.ERROR, message == null ? "" : redact.apply(message));
    }

    static String errorType(Throwable error) {
        return error instanceof LlmException e ? e.kind().name() : error.getClass().getSimpleName();
    }
}
