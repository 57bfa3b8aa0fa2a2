package dev.camelllm.observability.tracing;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import dev.camelllm.api.ChatRequest;

/**
 * Where the component's spans go: the OpenTelemetry it is given (component option, a bean in the
 * registry, else GlobalOpenTelemetry), looked up once, at the first call. Without an SDK installed a call
 * makes no span at all ({@link #enabled()}).
 */
public final class LlmTracing {

    /** The instrumentation scope our spans carry. */
    public static final String SCOPE = "dev.camelllm";

    /** What every no-op OpenTelemetry (no SDK installed) hands out, GlobalOpenTelemetry's unset one included. */
    private static final Tracer NOOP = OpenTelemetry.noop().getTracer(SCOPE);

    private final Supplier<OpenTelemetry> source;
    private volatile Tracer tracer;
    private volatile Collection<String> propagationFields;

    public LlmTracing(Supplier<OpenTelemetry> source) {
        this.source = source;
    }

    Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            synchronized (this) {
                t = tracer;
                if (t == null) {
                    t = source.get().getTracer(SCOPE);
                    tracer = t;
                }
            }
        }
        return t;
    }

    /**
     * Whether calls make spans: false when the OpenTelemetry found is the no-op one, whose spans record
     * nothing, so that a call then spends nothing on them (we inject no trace headers upstream either).
     */
    public boolean enabled() {
        return tracer() != NOOP;
    }

    /**
     * The header names the OpenTelemetry's propagators read (e.g. traceparent, or a custom propagator's own),
     * looked up once; none when it cannot say.
     */
    public Collection<String> propagationFields() {
        Collection<String> f = propagationFields;
        if (f == null) {
            try {
                f = List.copyOf(source.get().getPropagators().getTextMapPropagator().fields());
            } catch (RuntimeException e) {
                f = List.of(); // a propagator that fails here must not fail a request
            }
            propagationFields = f;
        }
        return f;
    }

    /**
     * The OTel context of the calling thread (the route's span when Camel's OpenTelemetry support made
     * one current), captured before the call may move to a call thread.
     */
    public static Context callerContext() {
        return Context.current();
    }

    /** Starts the span of one embedding call (operation=embed), a child of {@code parent}. */
    public CallSpan startEmbeddings(Context parent, String profile, String provider, String model,
                                    UnaryOperator<String> redact) {
        return new CallSpan(tracer(), parent, profile, provider, model, redact);
    }

    /** Starts the span of one call, a child of {@code parent}. */
    public CallSpan start(Context parent, String profile, String provider, ChatRequest request, String model,
                          boolean stream, boolean content, UnaryOperator<String> redact) {
        return new CallSpan(tracer(), parent, profile, provider, request, model, stream, content, redact);
    }
}
