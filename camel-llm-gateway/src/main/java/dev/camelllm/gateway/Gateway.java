package dev.camelllm.gateway;

import dev.camelllm.gateway.format.WireFormat;
import io.vertx.core.http.HttpMethod;
import java.util.Collection;
import dev.camelllm.observability.DeferredRequestLog;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** The gateway's shared state for its routes: keys, models, CORS and the body limit. */
final class Gateway {

    private final KeyRing keys;
    private final ModelCatalog catalog;
    private final CorsPolicy cors;
    private final long maxBodyBytes;

    Gateway(GatewayConfiguration config, Collection<String> profiles) {
        this.keys = new KeyRing(config.getKeys());
        this.catalog = new ModelCatalog(config.getModels(), profiles);
        this.cors = new CorsPolicy(config.getCorsOrigins());
        this.maxBodyBytes = config.getMaxBodyBytes();
    }

    /** Opens the call of an exchange that came in through platform-http on Vert.x. */
    GatewayCall begin(Exchange exchange, WireFormat format) {
        HttpMessage http = http(exchange);
        GatewayCall call = new GatewayCall(format, http.getRequest(), http.getResponse(), cors);
        exchange.setProperty(GatewayCall.PROPERTY, call);
        // one id and one log line per request: the llm: step takes the call's id and hands its fields over
        call.deferLlmLog(DeferredRequestLog.attach(exchange, call.requestId));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                call.exchangeDone();
            }

            @Override
            public int getOrder() {
                // after the llm: step's own completion, which records a stream the route left
                return Ordered.LOWEST;
            }
        });
        return call;
    }

    /**
     * Opens the call and checks the caller's key; answers a CORS preflight instead and returns null.
     *
     * @throws dev.camelllm.gateway.format.GatewayException 401 for a missing or unknown key
     */
    GatewayCall admit(Exchange exchange, WireFormat format) {
        GatewayCall call = begin(exchange, format);
        if (call.request.method() == HttpMethod.OPTIONS) {
            cors.preflight(call.request, call.response);
            return null;
        }
        call.key = keys.authenticate(call.request.getHeader("Authorization"), call.request.getHeader("x-api-key"));
        return call;
    }

    /** {@link #admit(Exchange, WireFormat)} in the format the request looks like (a path that does not say it). */
    GatewayCall admit(Exchange exchange, CallerFormat formats) {
        return admit(exchange, formats.of(http(exchange).getRequest()));
    }

    private static HttpMessage http(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        if (http == null || http.getResponse() == null) {
            throw new IllegalStateException("The llm gateway routes need camel-platform-http-vertx as the HTTP server");
        }
        return http;
    }

    KeyRing keys() {
        return keys;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }
}
