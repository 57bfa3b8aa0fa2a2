package dev.camelllm.http;

import java.io.IOException;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.util.TimeValue;

/**
 * Keeps the connection of a streamed response out of the pool until the stream reached its final event
 * ({@code [DONE]}, {@code message_stop}).
 *
 * <p>Why: HttpClient releases a connection to the pool as soon as the body ends at the HTTP level (the
 * last chunk). A stream that ends there without its final event was cut by something upstream, which
 * usually closes the connection next; pooled, it fails the next unrelated request with
 * {@code NoHttpResponseException}. So the response of an exchange {@link #hold(HttpClientContext) held}
 * for a stream is marked not reusable when it arrives; {@link #streamCompleted(HttpClientContext)} marks it
 * reusable again, with the keep-alive time the client would have given it, once the stream saw its final
 * event. Whatever else ends the body leaves the connection to be closed.
 */
final class StreamConnectionReuse implements ExecChainHandler {

    static final String NAME = "camel-llm-stream-reuse";
    private static final String HOLD = StreamConnectionReuse.class.getName() + ".hold";
    private static final String RELEASE = StreamConnectionReuse.class.getName() + ".release";

    /** A context for a streamed exchange: its connection is pooled only after {@link #streamCompleted}. */
    static HttpClientContext hold(HttpClientContext context) {
        context.setAttribute(HOLD, Boolean.TRUE);
        return context;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        ClassicHttpResponse response = chain.proceed(request, scope);
        ExecRuntime runtime = scope.execRuntime;
        HttpClientContext context = scope.clientContext;
        if (context.getAttribute(HOLD) != null && runtime.isConnectionReusable()) {
            Object userToken = context.getUserToken();
            TimeValue keepAlive = DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(response, context);
            runtime.markConnectionNonReusable();
            context.setAttribute(RELEASE, (Runnable) () -> runtime.markConnectionReusable(userToken, keepAlive));
        }
        return response;
    }

    /** The stream of this exchange reached its final event: its connection may go back to the pool. */
    static void streamCompleted(HttpClientContext context) {
        if (context != null && context.getAttribute(RELEASE) instanceof Runnable reusable) {
            reusable.run();
        }
    }
}
