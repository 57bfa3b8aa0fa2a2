package dev.camelllm.gateway;

import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request through the gateway, from the first byte read to the last byte written: the client's
 * format, who it is, what it asked, and the answer's timing. It writes straight to Vert.x's response, so
 * that server-sent events leave as each chunk is encoded (Camel's own response writer would buffer them)
 * and no Camel header can leak into the answer.
 */
final class GatewayCall {

    static final String PROPERTY = "CamelLlmGatewayCall";

    private static final Logger LOG = LoggerFactory.getLogger("dev.camelllm.gateway");
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** How long a slow reader may keep the write queue full before the stream is given up. */
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    final WireFormat format;
    final HttpServerRequest request;
    final HttpServerResponse response;
    final String requestId;
    final long startNanos = System.nanoTime();
    final CorsPolicy cors;

    VirtualKey key;
    String model;
    GatewayRequest gatewayRequest;
    long estimatedTokens;
    private long upstreamStartNanos;
    private long upstreamEndNanos;
    private long overheadNanos = -1;
    private volatile boolean clientGone;
    private volatile Runnable onClientGone;
    private boolean committed;

    GatewayCall(WireFormat format, HttpServerRequest request, HttpServerResponse response,
                CorsPolicy cors) {
        this.format = format;
        this.request = request;
        this.response = response;
        this.cors = cors;
        String asked = request.getHeader(GatewayHeaders.REQUEST_ID);
        this.requestId = asked != null && SANE_ID.matcher(asked).matches() ? asked : newRequestId();
        response.closeHandler(v -> {
            clientGone = true;
            Runnable then = onClientGone;
            if (then != null) {
                then.run();
            }
        });
    }

    /** Runs (on Vert.x's event loop) when the client closes the connection before the answer ended. */
    void onClientGone(Runnable action) {
        onClientGone = action;
        if (clientGone()) {
            action.run();
        }
    }

    void upstreamStarts() {
        upstreamStartNanos = System.nanoTime();
    }

    /** The upstream's part is over: its answer (or, when streaming, its first output) is here. */
    void upstreamAnswered() {
        if (upstreamEndNanos == 0) {
            upstreamEndNanos = System.nanoTime();
        }
    }

    boolean committed() {
        return committed;
    }

    boolean clientGone() {
        return clientGone || response.closed();
    }

    /** Sends a whole JSON answer. */
    void replyJson(int status, byte[] body, String provider, String upstreamModel) {
        commit(status, "application/json", provider, upstreamModel);
        response.end(Buffer.buffer(body));
        logLine(status, provider, upstreamModel);
    }

    /** Sends an error in the client's format, or, when a stream has begun, nothing (the caller writes an event). */
    void replyError(GatewayError error, long retryAfterSeconds) {
        if (committed || response.ended()) {
            return;
        }
        if (retryAfterSeconds > 0) {
            response.putHeader("retry-after", Long.toString(retryAfterSeconds));
        }
        commit(error.status(), "application/json", null, null);
        // logged before the answer leaves, so that whoever got the answer can also find its line
        LOG.info("gateway request_id={} format={} key={} model={} status={} error_type={} message=\"{}\"", requestId,
                format.name(), key == null ? "-" : key.name(), loggable(model), error.status(),
                error.type().name().toLowerCase(Locale.ROOT), loggable(error.message()));
        response.end(Buffer.buffer(format.encodeError(error)));
    }

    /** Starts a server-sent-event answer: status and headers go out with the first frames. */
    void startStream(String provider, String upstreamModel) {
        commit(200, "text/event-stream; charset=utf-8", provider, upstreamModel);
        response.putHeader("Cache-Control", "no-cache");
        // tells nginx-style proxies in front of us not to buffer the events
        response.putHeader("X-Accel-Buffering", "no");
        response.setChunked(true);
    }

    /** Writes frames, waiting (bounded) while a slow client's write queue is full. */
    void write(String frames) {
        if (frames.isEmpty()) {
            return;
        }
        if (response.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            response.drainHandler(v -> drained.complete(null));
            if (response.writeQueueFull()) {
                try {
                    drained.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the client's write queue was full");
                } catch (Exception e) {
                    throw new IllegalStateException("the client did not read the stream for " + DRAIN_TIMEOUT_SECONDS + " s");
                }
            }
        }
        response.write(frames);
    }

    void endStream(int status, String provider, String upstreamModel) {
        response.end();
        logLine(status, provider, upstreamModel);
    }

    /**
     * Marks the answer done when the client has gone: platform-http then writes nothing after the route
     * (it would fail on the closed connection, or try to turn a stream body into bytes).
     */
    void finishForGoneClient() {
        if (!response.ended()) {
            try {
                response.end();
            } catch (RuntimeException e) {
                // the connection is closed: nothing to send, only the state to set
            }
        }
    }

    /** Drops the connection (a stream that cannot go on and has no way left to say so). */
    void abort() {
        if (!response.ended() && !response.closed()) {
            response.reset();
        }
    }

    private void commit(int status, String contentType, String provider, String upstreamModel) {
        committed = true;
        long now = System.nanoTime();
        long upstream = upstreamStartNanos == 0 ? 0
                : (upstreamEndNanos == 0 ? now : upstreamEndNanos) - upstreamStartNanos;
        overheadNanos = now - startNanos - upstream;
        response.setStatusCode(status);
        response.putHeader("Content-Type", contentType);
        response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
        response.putHeader(GatewayHeaders.ANTHROPIC_REQUEST_ID, requestId);
        response.putHeader(GatewayHeaders.OVERHEAD, millis3(overheadNanos));
        if (provider != null) {
            response.putHeader(GatewayHeaders.PROVIDER, provider);
        }
        if (upstreamModel != null) {
            response.putHeader(GatewayHeaders.MODEL, upstreamModel);
        }
        cors.decorate(request, response);
    }

    /** Client-chosen text (a model name) on one line, so that it cannot forge log lines. */
    private static String loggable(String text) {
        return text == null ? "-" : text.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * "req_" and 32 hex digits, as a random UUID without its dashes was; a request id must be unique, not
     * unguessable, so it needs no SecureRandom (whose shared lock every request would take).
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    private void logLine(int status, String provider, String upstreamModel) {
        if (!LOG.isInfoEnabled()) {
            return; // the line's formatting costs more than the rest of the gateway's own work
        }
        LOG.info("gateway request_id={} format={} key={} model={} stream={} status={} provider={} upstream_model={} "
                        + "overhead_ms={}", requestId, format.name(), key == null ? "-" : key.name(), loggable(model),
                gatewayRequest != null && gatewayRequest.stream(), status, provider, upstreamModel,
                millis3(overheadNanos));
    }

    /** Nanoseconds as milliseconds with three decimals, as {@code %.3f} writes them, without a Formatter. */
    static String millis3(long nanos) {
        if (nanos < 0) {
            return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
        }
        long micros = (nanos + 500) / 1000; // half up, as %.3f rounds
        long frac = micros % 1000;
        return (micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }
}
