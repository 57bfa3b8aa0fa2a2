package dev.camelllm.gateway;

import dev.camelllm.state.Reservation;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.observability.DeferredRequestLog;
import dev.camelllm.observability.RequestLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One client request through the gateway, from the first byte read to the last byte written: the client's
 * format, who it is, what it asked, and the answer's timing. It writes straight to Vert.x's response, so
 * that server-sent events leave as each chunk is encoded (Camel's own response writer would buffer them)
 * and no Camel header can leak into the answer. It writes the request's one log line (on
 * {@code dev.camelllm.requests}, with the llm: step's fields in it), under the id of its
 * {@code x-request-id} header.
 */
final class GatewayCall {

    static final String PROPERTY = "CamelLlmGatewayCall";

    /** What a request whose client left before its answer was written is logged with (nginx's "client closed request"). */
    static final int CLIENT_CLOSED = 499;
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
    /** What the key's budget holds for this request, or null; settled by the egress, else given back when done. */
    Reservation budget;
    /** The profile (and model) the request went to; null for a request that spends no limits. */
    GatewayConfiguration.ModelRoute route;
    /** Whether the answer came from the response cache; null when the cache was not looked up. */
    volatile Boolean cacheHit;
    /** Which cache answered on a hit (exact, semantic), and the semantic cache's best similarity (or null). */
    volatile String cacheHitKind;
    volatile Double cacheSimilarity;
    private long upstreamStartNanos;
    private long upstreamEndNanos;
    private long overheadNanos = -1;
    private volatile boolean clientGone;
    /** What runs when the client leaves, in the order registered: the call's cancel, then the stream's close. */
    private final List<Runnable> onClientGone = new CopyOnWriteArrayList<>();
    private boolean committed;
    private volatile boolean aborted;
    /** Where the llm: step leaves its fields for this request's log line. */
    private DeferredRequestLog llmLog;
    private final AtomicBoolean logged = new AtomicBoolean();
    /** The drain a writer waits for while the client's write queue is full; completed when the client leaves. */
    private volatile CompletableFuture<Void> drain;

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
            CompletableFuture<Void> waiting = drain;
            if (waiting != null) {
                waiting.complete(null); // a writer waiting for a drain that will never come
            }
            onClientGone.forEach(Runnable::run);
        });
    }

    /** The exchange's llm: step shares this request's id and leaves its fields for the one log line. */
    void deferLlmLog(DeferredRequestLog log) {
        this.llmLog = log;
    }

    /** Runs (on Vert.x's event loop) when the client closes the connection before the answer ended. */
    void onClientGone(Runnable action) {
        onClientGone.add(action);
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
        // logged before the answer leaves, so that whoever got the answer can also find its line
        logLine(status, "ok", null);
        response.end(Buffer.buffer(body));
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
        logLine(error.status(), "error", error);
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
        if (clientGone()) {
            throw new IllegalStateException("the client closed the connection");
        }
        if (response.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            drain = drained;
            response.drainHandler(v -> drained.complete(null));
            if (response.writeQueueFull() && !clientGone()) {
                try {
                    drained.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the client's write queue was full");
                } catch (Exception e) {
                    throw new IllegalStateException("the client did not read the stream for " + DRAIN_TIMEOUT_SECONDS + " s");
                } finally {
                    drain = null;
                }
            }
            if (clientGone()) {
                throw new IllegalStateException("the client closed the connection");
            }
        }
        response.write(frames);
    }

    /** Ends a stream that ran to its end, or (error not null) one that failed after it began and said so in an event. */
    void endStream(GatewayError error) {
        logLine(response.getStatusCode(), error == null ? "ok" : "error", error);
        response.end();
    }

    /**
     * The exchange is done: writes the log line if no answer did (the client left, a preflight, a stream
     * dropped). Runs after the llm: step recorded the request, so that its fields are in the line.
     */
    void exchangeDone() {
        Reservation b = budget;
        if (b != null) {
            // a request that failed or was left charged nothing (only the first settle counts)
            b.settle(0);
        }
        if (logged.get()) {
            return;
        }
        if (clientGone()) {
            logLine(committed ? response.getStatusCode() : CLIENT_CLOSED, "client_closed", null);
        } else {
            // a preflight, or a stream dropped because its error could not be written (the llm: fields say why)
            logLine(response.getStatusCode(), aborted || response.getStatusCode() >= 400 ? "error" : "ok", null);
        }
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
        aborted = true;
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
        Boolean hit = cacheHit;
        if (hit != null) {
            response.putHeader(GatewayHeaders.CACHE, !hit ? "miss" : "semantic".equals(cacheHitKind) ? "hit-semantic" : "hit");
        }
        Double similarity = cacheSimilarity;
        if (similarity != null) {
            response.putHeader(GatewayHeaders.CACHE_SIMILARITY, String.format(Locale.ROOT, "%.4f", similarity));
        }
        cors.decorate(request, response);
    }

    /**
     * "req_" and 32 hex digits, as a random UUID without its dashes was; a request id must be unique, not
     * unguessable, so it needs no SecureRandom (whose shared lock every request would take).
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    /**
     * The request's one line, once: the gateway's fields and the llm: step's (every value quoted, so that
     * client-chosen text such as a model name or a content type cannot add a field); at WARN when the server
     * failed the request (5xx).
     */
    private void logLine(int status, String outcome, GatewayError error) {
        if (!logged.compareAndSet(false, true) || status < 500 && !RequestLog.enabled()) {
            return; // the line's formatting costs more than the rest of the gateway's own work
        }
        Map<String, String> llm = llmLog == null ? null : llmLog.fields();
        RequestLog.write(GatewayRequestLine.fields(this, status, outcome, error, llm,
                overheadNanos < 0 ? null : millis3(overheadNanos)), status >= 500);
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
