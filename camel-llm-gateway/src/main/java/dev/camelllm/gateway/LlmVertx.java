package dev.camelllm.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.spi.ExecutorServiceFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.execution.CallThreads;

/**
 * The Vert.x instance behind platform-http, made for long LLM calls. platform-http-vertx (4.18) runs every
 * route on Vert.x's worker pool and the route blocks its worker for the whole exchange; with Vert.x's
 * default pool of 20 workers the 21st concurrent stream waits. On JDK 21+ this instance's worker pool
 * starts a virtual thread per task, so an exchange that waits for its upstream parks a virtual thread and
 * holds no platform thread. On Java 17 its pool has a fixed, configured size, and {@link HttpAdmission}
 * sheds the requests that would otherwise queue for it.
 *
 * <p>Vert.x 4.5 has no public option for the worker pool's threads; its {@link ExecutorServiceFactory} SPI,
 * given to the builder, is the supported way to provide them.
 */
public final class LlmVertx {

    private static final Logger LOG = LoggerFactory.getLogger(LlmVertx.class);

    private LlmVertx() {
    }

    /**
     * A Vert.x whose worker pool is virtual threads (JDK 21+, unless {@code platform} is asked for), else a
     * pool of {@code platformWorkers} threads.
     */
    public static Vertx create(boolean virtual, int platformWorkers) {
        VertxOptions options = new VertxOptions();
        if (virtual && !CallThreads.virtualThreadsAvailable()) {
            throw new IllegalArgumentException("Virtual worker threads need JDK 21 or later; this JVM is " + Runtime.version()
                    + ": pass virtual=false (a pool of platformWorkers threads) or run on JDK 21+");
        }
        if (virtual) {
            ExecutorServiceFactory virtualWorkers = (threadFactory, concurrency, maxConcurrency) ->
                    CallThreads.newVirtualThreadPerTaskExecutor("vertx-virtual-worker-");
            return new VertxBuilder(options).executorServiceFactory(virtualWorkers).init().vertx();
        }
        options.setWorkerPoolSize(platformWorkers);
        return Vertx.vertx(options);
    }

    /**
     * Binds a Vert.x made by {@link #create} into the registry, for platform-http to use, unless one is
     * bound already (then that one is used as it is). Call before the context starts.
     *
     * @return whether this call bound one
     */
    public static boolean bindIfAbsent(CamelContext context, boolean virtual, int platformWorkers) {
        if (CamelContextHelper.findSingleByType(context, Vertx.class) != null) {
            LOG.info("platform-http uses the Vert.x bound in the registry; its worker pool decides how many requests run at once");
            return false;
        }
        context.getRegistry().bind("llm-vertx", Vertx.class, create(virtual, platformWorkers));
        LOG.info("platform-http runs requests on {}", virtual ? "virtual threads"
                : platformWorkers + " Vert.x worker threads (Java 17: more concurrent requests are shed with 503)");
        return true;
    }
}
