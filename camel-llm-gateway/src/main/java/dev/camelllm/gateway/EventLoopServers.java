package dev.camelllm.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.vertx.common.VertxHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * platform-http's port served from every Vert.x event loop, not one. platform-http-vertx (4.18) creates one
 * {@link HttpServer} outside any verticle, so Vert.x gives it one event loop, and every connection of the
 * server is accepted, parsed and written on that one thread: with thousands of streams open, a new request
 * waits behind all their chunks (seconds to the first byte at 2,000 streams). Vert.x shares a port among
 * the servers of one instance that listen on it, each on its own event loop, and hands new connections to
 * their loops in turn; this service adds one such server on every event loop, with platform-http's request
 * handler (its router) and TLS settings, and closes them when the context stops (the socket is released
 * only when the last server on it has closed).
 */
final class EventLoopServers extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopServers.class);

    private final HttpServer main;
    private final Vertx vertx;
    private final HttpServerOptions options;
    private final String host;
    private final List<HttpServer> added = new ArrayList<>();

    private EventLoopServers(HttpServer main, Vertx vertx, HttpServerOptions options, String host) {
        this.main = main;
        this.vertx = vertx;
        this.options = options;
        this.host = host;
    }

    /**
     * Adds the servers for Camel Main's HTTP server ({@code camel.server.*}), and registers them as a service
     * of {@code context} so that they stop with it. Call once platform-http's server listens (a startup
     * listener). Does nothing when the server is not Camel Main's (its TLS settings cannot be read then).
     */
    static void addTo(CamelContext context) throws Exception {
        VertxPlatformHttpRouter router = mainRouter(context);
        VertxPlatformHttpServerConfiguration configuration = CamelMainServer.configuration(context);
        if (configuration == null || router == null || router.getServer() == null
                || router.getServer().getServer() == null) {
            LOG.info("platform-http's server is not Camel Main's (camel.server.*): it runs on one event loop");
            return;
        }
        VertxPlatformHttpServer platformServer = router.getServer();
        Vertx vertx = router.vertx();
        EventLoopServers servers = new EventLoopServers(platformServer.getServer(), vertx,
                options(context, configuration), platformServer.getHost());
        // a service of the context: stopped (its servers closed) when the context stops
        context.addService(servers, true, true);
    }

    private static VertxPlatformHttpRouter mainRouter(CamelContext context) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer()) {
                return router;
            }
        }
        return null;
    }

    /** What platform-http itself sets on its server's options: TLS, and nothing else. */
    private static HttpServerOptions options(CamelContext context, VertxPlatformHttpServerConfiguration configuration)
            throws Exception {
        HttpServerOptions options = new HttpServerOptions();
        SSLContextParameters ssl = configuration.getSslContextParameters() != null
                ? configuration.getSslContextParameters()
                : configuration.isUseGlobalSslContextParameters() ? context.getSSLContextParameters() : null;
        if (ssl != null) {
            VertxHelper.setupSSLOptions(context, ssl, options);
        }
        return options;
    }

    /** Camel Main's server, reached only when camel-platform-http-main is on the classpath (it is optional). */
    private static final class CamelMainServer {
        private static final String CLASS = "org.apache.camel.component.platform.http.main.MainHttpServer";

        static VertxPlatformHttpServerConfiguration configuration(CamelContext context) {
            if (context.getClassResolver().resolveClass(CLASS) == null) {
                return null;
            }
            MainHttpServer server = context.hasService(MainHttpServer.class);
            return server != null ? server.getConfiguration() : null;
        }
    }

    @Override
    protected void doStart() throws Exception {
        int port = main.actualPort();
        VertxInternal internal = (VertxInternal) vertx;
        List<Future<HttpServer>> listening = new ArrayList<>();
        // a server on each event loop, main's included: Vert.x hands new connections to the loops in turn
        // (not to the servers), so main's loop gets its share and no more
        for (EventExecutor loop : internal.getEventLoopGroup()) {
            ContextInternal context = internal.createEventLoopContext((EventLoop) loop, internal.getWorkerPool(),
                    Thread.currentThread().getContextClassLoader());
            HttpServer server = vertx.createHttpServer(options).requestHandler(main.requestHandler());
            added.add(server);
            Promise<HttpServer> bound = context.promise();
            // listen() takes the context it is called on
            context.runOnContext(v -> server.listen(port, host).onComplete(bound));
            listening.add(bound.future());
        }
        Future.all(listening).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("platform-http serves port {} from {} event loops", port, added.size());
    }

    @Override
    protected void doStop() throws Exception {
        List<Future<Void>> closing = new ArrayList<>();
        for (HttpServer server : added) {
            closing.add(server.close());
        }
        added.clear();
        Future.all(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
