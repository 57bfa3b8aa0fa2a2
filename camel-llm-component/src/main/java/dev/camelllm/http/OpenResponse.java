package dev.camelllm.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;

import dev.camelllm.spi.CallContext;

/**
 * A response whose body is still being received (a stream). {@link #abort()} drops the connection at
 * once (an unfinished stream must not be drained); {@link #close()} returns it to the pool after a
 * complete body. Both are safe to call more than once, from any thread. A body that ends in any other
 * way (without the stream's final event, or with an error) leaves its connection closed, never pooled
 * ({@link StreamConnectionReuse}).
 */
public final class OpenResponse implements AutoCloseable {

    private final HttpUriRequestBase request;
    private final ClassicHttpResponse response;
    private final Map<String, String> headers;
    private final AtomicBoolean released = new AtomicBoolean();
    private final CallContext.Registration cancel;
    private final HttpClientContext context;

    OpenResponse(HttpUriRequestBase request, ClassicHttpResponse response, Map<String, String> headers,
                 CallContext.Registration cancel, HttpClientContext context) {
        this.request = request;
        this.response = response;
        this.headers = headers;
        this.cancel = cancel;
        this.context = context;
    }

    public int status() {
        return response.getCode();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public InputStream body() throws IOException {
        return response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent();
    }

    /** Drops the connection without reading the rest of the body. */
    public void abort() {
        if (released.compareAndSet(false, true)) {
            cancel.close();
            request.cancel();
            closeQuietly();
        }
    }

    /** Releases the connection after the body was read to its final event: it may be pooled again. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            cancel.close();
            StreamConnectionReuse.streamCompleted(context);
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            // the connection is discarded either way
        }
    }
}
