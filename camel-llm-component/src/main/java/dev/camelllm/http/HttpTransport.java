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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.api.LlmTimeoutException;

/**
 * The HTTP client all cloud providers share: Apache HttpClient 5 (the client camel-http uses) with one
 * pooled connection manager per component. Automatic retries and redirects are off: the component
 * decides about retries itself. The read timeout bounds every wait for bytes (first byte and each
 * stream chunk); the deadline bounds a whole non-streaming call.
 */
public final class HttpTransport implements AutoCloseable {

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    public HttpTransport(HttpSettings settings) {
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        // a pooled connection the server closed while idle is checked before reuse
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camel-llm-http-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends a JSON POST and reads the whole response. */
    public HttpResult postJson(URI uri, Map<String, String> headers, String json, Duration readTimeout,
                               Duration deadline, String provider, String model) {
        HttpPost post = newPost(uri, headers, json, readTimeout);
        AtomicBoolean deadlineHit = new AtomicBoolean();
        ScheduledFuture<?> timer = schedule(post, deadline, deadlineHit);
        try {
            return client.execute(post, response -> new HttpResult(response.getCode(), headersOf(response),
                    response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
        } catch (IOException e) {
            throw translate(e, deadlineHit.get(), deadline, provider, model);
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
        HttpPost post = newPost(uri, headers, json, readTimeout);
        try {
            ClassicHttpResponse response = client.executeOpen(null, post, null);
            return new OpenResponse(post, response, headersOf(response));
        } catch (IOException e) {
            post.cancel();
            throw translate(e, false, null, provider, model);
        }
    }

    /** Connections currently leased out of the pool: 0 when nothing leaks. */
    public int leasedConnections() {
        return pool.getTotalStats().getLeased();
    }


    /** Maps an I/O failure to the component's typed errors. The message never contains request headers. */
    public static LlmException translate(IOException e, boolean deadlineHit, Duration deadline, String provider,
                                         String model) {
        if (deadlineHit) {
            return new LlmTimeoutException(provider, model, "no complete answer within " + deadline.toMillis() + " ms", e);
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
        if (e instanceof InterruptedIOException) {
            return new LlmNetworkException(provider, model, "request interrupted: " + e.getMessage(), e);
        }
        return new LlmNetworkException(provider, model, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static HttpPost newPost(URI uri, Map<String, String> headers, String json, Duration readTimeout) {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ContentType.APPLICATION_JSON));
        if (readTimeout != null) {
            post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout)).build());
        }
        return post;
    }

    private ScheduledFuture<?> schedule(HttpUriRequestBase request, Duration deadline, AtomicBoolean hit) {
        if (deadline == null || deadline.isZero() || deadline.isNegative()) {
            return null;
        }
        return deadlines.schedule(() -> {
            hit.set(true);
            request.cancel();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
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
