package dev.camelllm.gateway;

import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.WireFormat;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Asks for a gateway key on the other routes of the HTTP server ({@code llm.gateway.guarded-paths}), e.g. an
 * application's {@code /chat} that spends a provider key just like the gateway does. Runs on the event
 * loop before platform-http hands the request to a worker, so a caller without a key costs no worker and
 * no call. With no gateway key configured it lets everything through: the server is then only as open as
 * the address it listens on.
 */
final class RouteGuard implements Handler<RoutingContext> {

    private final List<String> patterns;
    private final String basePath;
    private final KeyRing keys;
    private final WireFormat errors;

    RouteGuard(List<String> patterns, String basePath, KeyRing keys, WireFormat errors) {
        this.patterns = List.copyOf(patterns);
        this.basePath = basePath;
        this.keys = keys;
        this.errors = errors;
    }

    /** Whether the guard has anything to do: paths to guard and keys to check them with. */
    boolean active() {
        return !patterns.isEmpty() && !keys.isEmpty();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!active() || !guards(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        try {
            keys.authenticate(ctx.request().getHeader("Authorization"), ctx.request().getHeader("x-api-key"));
        } catch (GatewayException e) {
            ctx.response().setStatusCode(e.error().status())
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(Buffer.buffer(errors.encodeError(e.error())));
            return;
        }
        ctx.next();
    }

    /** The gateway's own paths check keys themselves (and its health stays open); the others as configured. */
    boolean guards(String path) {
        if (path.equals(basePath) || path.startsWith(basePath + "/")) {
            return false;
        }
        for (String pattern : patterns) {
            if (pattern.endsWith("/*") ? path.startsWith(pattern.substring(0, pattern.length() - 1))
                    || path.equals(pattern.substring(0, pattern.length() - 2)) : path.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
