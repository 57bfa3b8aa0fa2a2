package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last handler under the gateway's base path: a path no route serves gets a 404, a gateway path asked with
 * a method it does not answer a 405 with {@code Allow}, both as JSON in the caller's format instead of Vert.x's
 * HTML page, so that an SDK reports a readable error.
 */
final class UnknownPath implements Handler<RoutingContext> {

    /** The caller's path, as far as an error message repeats it. */
    private static final int MAX_ECHO = 200;

    private final String basePath;
    private final CallerFormat formats;
    private final Map<String, String> methods = new LinkedHashMap<>();

    UnknownPath(String basePath, CallerFormat formats) {
        this.basePath = basePath;
        this.formats = formats;
        methods.put("/chat/completions", "POST");
        methods.put("/responses", "POST");
        methods.put("/messages", "POST");
        methods.put("/messages/count_tokens", "POST");
        methods.put("/embeddings", "POST");
        methods.put("/models", "GET");
        methods.put("/models/{id}", "GET");
        methods.put("/health", "GET");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        String allowed = allowed(path.substring(Math.min(path.length(), basePath.length())));
        String asked = echo(method + " " + path);
        GatewayError error = allowed != null
                ? new GatewayError(405, ErrorType.METHOD_NOT_ALLOWED, asked + " is not served: " + path + " takes "
                        + allowed, null, "method_not_allowed")
                : new GatewayError(404, ErrorType.NOT_FOUND, "Invalid URL (" + asked + "): this gateway serves "
                        + served(), null, null);
        if (allowed != null) {
            ctx.response().putHeader("Allow", allowed);
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(formats.of(ctx.request()).encodeError(error)));
    }

    private String allowed(String relative) {
        String exact = methods.get(relative);
        if (exact != null) {
            return exact;
        }
        String rest = relative.startsWith("/models/") ? relative.substring("/models/".length()) : null;
        return rest != null && !rest.isEmpty() && !rest.contains("/") ? methods.get("/models/{id}") : null;
    }

    private String served() {
        StringBuilder b = new StringBuilder();
        methods.forEach((path, method) -> b.append(b.isEmpty() ? "" : ", ").append(method).append(' ')
                .append(basePath).append(path));
        return b.toString();
    }

    private static String echo(String text) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() > MAX_ECHO ? line.substring(0, MAX_ECHO) + "…" : line;
    }
}
