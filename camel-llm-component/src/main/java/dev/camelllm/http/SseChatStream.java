package dev.camelllm.http;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.spi.Redactor;

/**
 * A {@link ChatStream} over a server-sent-events response. A provider subclass turns each event into
 * chunks and calls {@link #complete()} on its final event ({@code [DONE]}, {@code message_stop}). The end
 * of the body before that final event is an error, never a complete answer. On any error, and on close
 * before completion, the connection is aborted rather than drained.
 */
public abstract class SseChatStream implements ChatStream {

    /** The option that sets the most bytes of one line or event of a stream. */
    public static final String MAX_EVENT_BYTES_OPTION = "maxStreamEventBytes";

    protected final String provider;
    protected final String model;
    private final OpenResponse response;
    private final SseReader reader;
    private final String secret;
    private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
    private boolean completed;
    private volatile boolean closed;
    /** The first failure, rethrown by every later call: events still buffered after it must not complete the answer. */
    private LlmException failure;

    protected SseChatStream(String provider, String model, OpenResponse response) {
        this(provider, model, response, null);
    }

    /** @param secret the API key, redacted from the data a parse error quotes (an upstream may echo it) */
    protected SseChatStream(String provider, String model, OpenResponse response, String secret) {
        this(provider, model, response, secret, SseReader.DEFAULT_MAX_EVENT_BYTES);
    }

    /**
     * @param secret        the API key, redacted from the data a parse error quotes (an upstream may echo it)
     * @param maxEventBytes the most bytes of one line or event ({@link #maxEventBytes(ProviderSettings)})
     */
    protected SseChatStream(String provider, String model, OpenResponse response, String secret, int maxEventBytes) {
        this.provider = provider;
        this.model = model;
        this.response = response;
        this.secret = secret;
        try {
            this.reader = new SseReader(response.body(), maxEventBytes);
        } catch (IOException e) {
            response.abort();
            throw HttpTransport.translate(e, false, null, provider, model);
        }
    }

    /** The endpoint's {@value #MAX_EVENT_BYTES_OPTION} option, else {@link SseReader#DEFAULT_MAX_EVENT_BYTES}. */
    public static int maxEventBytes(ProviderSettings settings) {
        Integer max = settings.integer(MAX_EVENT_BYTES_OPTION);
        return max == null ? SseReader.DEFAULT_MAX_EVENT_BYTES : max;
    }

    /** Turns one event into zero or more chunks. Throw {@link LlmException} for an error event. */
    protected abstract void onEvent(SseEvent event, Consumer<ChatChunk> out) throws IOException;

    /** The event that ends this provider's stream, for error messages. */
    protected abstract String finalEventName();

    /** Called by the subclass when the final event arrived. */
    protected final void complete() {
        completed = true;
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        try {
            return advance();
        } catch (LlmException e) {
            failure = e;
            throw e;
        }
    }

    private boolean advance() {
        while (pending.isEmpty()) {
            if (completed) {
                response.close();
                return false;
            }
            if (closed) {
                throw new LlmStreamException(provider, model, "stream was closed before it completed", null);
            }
            SseEvent event;
            try {
                event = reader.next();
            } catch (IOException e) {
                abort();
                if (closed) {
                    throw new LlmStreamException(provider, model, "stream was closed before it completed", e);
                }
                throw readFailure(e);
            }
            if (event == null) {
                abort();
                throw new LlmStreamException(provider, model,
                        "stream ended before " + finalEventName() + ": the answer is incomplete", null);
            }
            try {
                onEvent(event, pending::add);
            } catch (LlmException e) {
                abort();
                throw e;
            } catch (IOException | RuntimeException e) {
                abort();
                throw new LlmStreamException(provider, model, Redactor.redact("malformed " + event.event() + " event: "
                        + e.getMessage() + " in data: " + snippet(Redactor.redact(event.data(), secret)), secret), e);
            }
        }
        return true;
    }

    @Override
    public ChatChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException("stream completed");
        }
        return pending.poll();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (completed) {
                response.close();
            } else {
                response.abort();
            }
        }
    }

    private void abort() {
        response.abort();
    }

    private LlmException readFailure(IOException e) {
        if (e instanceof SseLimitException limit) {
            return new LlmStreamException(provider, model, limit.getMessage() + " (" + MAX_EVENT_BYTES_OPTION + "="
                    + limit.limitBytes() + "): the stream was stopped there; raise " + MAX_EVENT_BYTES_OPTION
                    + " on the endpoint or the component if the upstream's events are really that large", e);
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return new dev.camelllm.api.LlmTimeoutException(provider, model,
                    "stream stalled: no data from the upstream within the timeout", e);
        }
        if (e instanceof org.apache.hc.core5.http.ConnectionClosedException
                || e instanceof org.apache.hc.core5.http.MalformedChunkCodingException) {
            return new LlmStreamException(provider, model,
                    "connection closed mid-stream (" + e.getMessage() + "): the answer is incomplete", e);
        }
        if (e instanceof java.net.SocketException) {
            // a reset or broken connection is the network's failure, not the stream's (docs/resilience.md)
            return new dev.camelllm.api.LlmNetworkException(provider, model,
                    "connection lost mid-stream (" + e.getMessage() + "): the answer is incomplete", e);
        }
        return HttpTransport.translate(e, false, null, provider, model);
    }

    private static String snippet(String data) {
        if (data == null) {
            return "";
        }
        return data.length() <= 200 ? data : data.substring(0, 200) + "…";
    }
}
