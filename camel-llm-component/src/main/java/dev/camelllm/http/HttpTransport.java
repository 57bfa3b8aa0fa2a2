package dev.camelllm.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.spi.CallContext;

/**
 * The HTTP client all cloud providers share: Apache HttpClient 5 (the client camel-http uses) with one
 * pooled connection manager per component and network setting (proxy, TLS: {@link NetworkClients}).
 * Automatic retries and redirects are off: the component decides about retries itself. The read timeout bounds every wait for bytes (first byte and each
 * stream chunk); the deadline bounds a whole non-streaming call.
 */
public final class HttpTransport implements AutoCloseable {

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final ScheduledThreadPoolExecutor deadlines;
    private final NetworkSettings network;
    private static final int PROXY_AUTHENTICATION_REQUIRED = 407;

    public HttpTransport(HttpSettings settings) {
        this(settings, NetworkSettings.direct());
    }

    /** A transport whose connections go through the proxy and TLS context {@code network} says. */
    public HttpTransport(HttpSettings settings, NetworkSettings network) {
        this.network = network;
        this.pool = NetworkClients.pool(settings, network);
        this.client = NetworkClients.client(pool, network);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camel-llm-http-deadline");
            t.setDaemon(true);
            return t;
        });
        // a request that answered in time cancels its timer: without this the cancelled timer, and the request
        // (body included) it holds, would stay queued until the deadline (5 minutes by default)
        timers.setRemoveOnCancelPolicy(true);
        this.deadlines = timers;
    }

    /** Sends a JSON POST and reads the whole response. */
    public HttpResult postJson(URI uri, Map<String, String> headers, String json, Duration readTimeout,
                               Duration deadline, String provider, String model) {
        return postJson(uri, headers, json, readTimeout, deadline, null, provider, model);
    }

    /**
     * Sends a JSON POST and reads the whole response within {@code deadline}; a cancel of {@code call}
     * (null: none) aborts the request and frees its connection.
     */
    public HttpResult postJson(URI uri, Map<String, String> headers, String json, Duration readTimeout,
                               Duration deadline, CallContext call, String provider, String model) {
        return postJson(uri, headers, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), readTimeout, deadline,
                call, provider, model);
    }

    /** The same with the body already encoded as UTF-8 JSON (no String in between). */
    public HttpResult postJson(URI uri, Map<String, String> headers, byte[] json, Duration readTimeout,
                               Duration deadline, CallContext call, String provider, String model) {
        HttpPost post = newPost(uri, headers, json, readTimeout);
        AtomicBoolean cancelled = new AtomicBoolean();
        CallContext.Registration registration = onCancel(call, post, cancelled, null);
        AtomicBoolean deadlineHit = new AtomicBoolean();
        ScheduledFuture<?> timer = schedule(post, deadline, deadlineHit);
        try {
            if (cancelled.get()) {
                throw cancelledError(provider, model);
            }
            noTimeLeft(call, provider, model);
            return proxyChecked(uri, client.execute(post, response -> new HttpResult(response.getCode(), headersOf(response),
                    response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()))),
                    provider, model);
        } catch (IOException e) {
            if (cancelled.get()) {
                throw cancelledError(provider, model);
            }
            throw translate(e, deadlineHit.get(), deadline, provider, model);
        } finally {
            registration.close();
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** Sends a GET and reads the whole response within {@code timeout} (health probes). */
    public HttpResult get(URI uri, Map<String, String> headers, Duration timeout, String provider, String model) {
        HttpGet get = new HttpGet(uri);
        headers.forEach(get::setHeader);
        get.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        AtomicBoolean deadlineHit = new AtomicBoolean();
        ScheduledFuture<?> timer = schedule(get, timeout, deadlineHit);
        try {
            return proxyChecked(uri, client.execute(get, response -> new HttpResult(response.getCode(), headersOf(response),
                    response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()))),
                    provider, model);
        } catch (IOException e) {
            throw translate(e, deadlineHit.get(), timeout, provider, model);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /**
     * Sends a JSON POST and returns as soon as the status and headers arrived; the caller reads the body
     * and must close or abort the response.
     */
    public OpenResponse openJson(URI uri, Map<String, String> headers, String json, Duration readTimeout,
                                 String provider, String model) {
        return openJson(uri, headers, json, readTimeout, null, provider, model);
    }

    /**
     * As {@link #openJson(URI, Map, String, Duration, String, String)}; a cancel of {@code call} (null:
     * none) aborts the request, while it waits for the headers or later while the body streams. The
     * registration ends when the response is closed or aborted.
     */
    public OpenResponse openJson(URI uri, Map<String, String> headers, String json, Duration readTimeout,
                                 CallContext call, String provider, String model) {
        HttpPost post = newPost(uri, headers, json, readTimeout);
        AtomicBoolean cancelled = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<OpenResponse> opened = new java.util.concurrent.atomic.AtomicReference<>();
        CallContext.Registration registration = onCancel(call, post, cancelled, opened);
        try {
            if (cancelled.get()) {
                throw cancelledError(provider, model);
            }
            noTimeLeft(call, provider, model);
            // a stream's connection goes back to the pool only once the stream saw its final event
            HttpClientContext context = StreamConnectionReuse.hold(HttpClientContext.create());
            ClassicHttpResponse response = client.executeOpen(null, post, context);
            OpenResponse open = new OpenResponse(post, response, headersOf(response), registration, context);
            opened.set(open);
            if (response.getCode() == PROXY_AUTHENTICATION_REQUIRED) {
                open.abort();
                throw proxyRefused(uri, provider, model);
            }
            if (cancelled.get()) {
                // the cancel came while the headers arrived
                open.abort();
                throw cancelledError(provider, model);
            }
            return open;
        } catch (IOException e) {
            post.cancel();
            registration.close();
            if (cancelled.get()) {
                throw cancelledError(provider, model);
            }
            throw translate(e, false, null, provider, model);
        } catch (RuntimeException e) {
            registration.close();
            throw e;
        }
    }

    /**
     * Sends a GET and returns as soon as the status and headers arrived (a download): the caller reads
     * the body and closes the response, or aborts it. Redirects are not followed.
     *
     * @throws IOException as HttpClient throws it: the caller names what it was fetching
     */
    public OpenResponse openGet(URI uri, Map<String, String> headers, Duration readTimeout) throws IOException {
        HttpGet get = new HttpGet(uri);
        headers.forEach(get::setHeader);
        get.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout)).build());
        ClassicHttpResponse response = client.executeOpen(null, get, null);
        return new OpenResponse(get, response, headersOf(response), () -> { }, null);
    }

    /** How this transport reaches the outside. */
    public NetworkSettings network() {
        return network;
    }

    private static CallContext.Registration onCancel(CallContext call, HttpUriRequestBase request, AtomicBoolean cancelled,
                                                     java.util.concurrent.atomic.AtomicReference<OpenResponse> opened) {
        if (call == null) {
            return () -> { };
        }
        return call.onCancel(() -> {
            cancelled.set(true);
            request.cancel();
            OpenResponse open = opened == null ? null : opened.get();
            if (open != null) {
                open.abort();
            }
        });
    }

    private HttpResult proxyChecked(URI uri, HttpResult result, String provider, String model) {
        if (result.status() == PROXY_AUTHENTICATION_REQUIRED) {
            throw proxyRefused(uri, provider, model);
        }
        return result;
    }

    /** A 407 comes from the proxy, not the upstream: say which proxy, never its password. */
    private LlmException proxyRefused(URI uri, String provider, String model) {
        ProxyServer proxy = network.proxy().select(uri.getScheme(), uri.getHost());
        return dev.camelllm.api.LlmApiException.of(ErrorKind.AUTHENTICATION, provider, model, PROXY_AUTHENTICATION_REQUIRED,
                "proxy_authentication_required", null, "the proxy " + (proxy == null ? "" : proxy + " ")
                + "refused the request with 407 Proxy Authentication Required: "
                + (proxy != null && proxy.hasCredentials() ? "check the proxy user and password"
                        : "it wants a user and password (proxyUser, proxyPassword, or user:password@ in HTTPS_PROXY)"));
    }

    /** A zero wait would mean "no limit" to the client: a call whose time is up fails before it is sent. */
    private static void noTimeLeft(CallContext call, String provider, String model) {
        if (call != null && call.timeLeft().isZero()) {
            throw new LlmTimeoutException(provider, model, "the deadline ran out: no time left for the call", null);
        }
    }

    private static LlmException cancelledError(String provider, String model) {
        return new LlmException(ErrorKind.CANCELLED, provider, model, "the call was cancelled; its request was aborted");
    }

    /** Connections currently leased out of the pool: 0 when nothing leaks. */
    /** Deadline timers still queued (requests in flight, and nothing else: an answered one removes its own). */
    public int pendingDeadlines() {
        return deadlines.getQueue().size();
    }

    public int leasedConnections() {
        return pool.getTotalStats().getLeased();
    }


    /** Maps an I/O failure to the component's typed errors. The message never contains request headers. */
    public static LlmException translate(IOException e, boolean deadlineHit, Duration deadline, String provider,
                                         String model) {
        if (deadlineHit) {
            return new LlmTimeoutException(provider, model, "the deadline ran out: no complete answer within "
                    + deadline.toMillis() + " ms", e);
        }
        if (e instanceof ConnectTimeoutException) {
            return new LlmTimeoutException(provider, model, "connect timed out: " + e.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException) {
            return new LlmTimeoutException(provider, model, "read timed out: no data from the upstream in time", e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new LlmNetworkException(provider, model, "cannot connect: " + e.getMessage(), e);
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return new LlmNetworkException(provider, model, "TLS with the upstream failed: " + e.getMessage() + " (for a "
                    + "certificate the JVM's trust store does not hold, set sslContextParameters, or the component's "
                    + "useGlobalSslContextParameters)", e);
        }
        if (e instanceof InterruptedIOException) {
            return new LlmNetworkException(provider, model, "request interrupted: " + e.getMessage(), e);
        }
        return new LlmNetworkException(provider, model, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static HttpPost newPost(URI uri, Map<String, String> headers, String json, Duration readTimeout) {
        return newPost(uri, headers, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), readTimeout);
    }

    private static HttpPost newPost(URI uri, Map<String, String> headers, byte[] json, Duration readTimeout) {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
        if (readTimeout != null) {
            // whole milliseconds, rounded up: the socket counts in milliseconds, and a read timeout cut from the
            // call's time left must not fire before the call's deadline (so that the failure is reported as that
            // deadline, with what used it); under a millisecond would also read as 0, which is no limit at all
            long millis = Math.max(1, (readTimeout.toNanos() + 999_999) / 1_000_000);
            post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(millis)).build());
        }
        return post;
    }

    private ScheduledFuture<?> schedule(HttpUriRequestBase request, Duration deadline, AtomicBoolean hit) {
        if (deadline == null || deadline.isZero() || deadline.isNegative()) {
            return null;
        }
        // in nanoseconds, not truncated to milliseconds: a timer set from the call's time left must not fire
        // before the call's own deadline, so that what fails is reported as that deadline (and what used it)
        return deadlines.schedule(() -> {
            hit.set(true);
            request.cancel();
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Map<String, String> headersOf(ClassicHttpResponse response) {
        Map<String, String> map = new HashMap<>();
        for (Header h : response.getHeaders()) {
            map.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
        }
        return map;
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
