package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.WireFormat;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on the HTTP requests in flight on the server, checked on the event loop before platform-http hands
 * a request to a worker: one over the cap is answered at once with 503 and {@code retry-after}, in the
 * caller's format on the gateway's paths, instead of waiting in Vert.x's unbounded worker queue (Java 17,
 * where the workers are a fixed pool).
 */
final class HttpAdmission implements Handler<RoutingContext> {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String basePath;
    private final CallerFormat formats;

    HttpAdmission(int max, String basePath, CallerFormat formats) {
        this.max = max;
        this.basePath = basePath;
        this.formats = formats;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            reject(ctx);
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void reject(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        WireFormat format = path.startsWith(basePath + "/") ? formats.of(ctx.request()) : null;
        String message = "The server is at its limit of " + max + " requests in flight; retry in a moment";
        byte[] body = format != null
                ? format.encodeError(new GatewayError(503, ErrorType.OVERLOADED, message, null, "overloaded"))
                : ("{\"error\":\"overloaded\",\"message\":\"" + message + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ctx.response().setStatusCode(503)
                .putHeader("Content-Type", "application/json")
                .putHeader("retry-after", "1")
                .end(Buffer.buffer(body));
    }
}
