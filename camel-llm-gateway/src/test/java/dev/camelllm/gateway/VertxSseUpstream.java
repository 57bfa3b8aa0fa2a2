package dev.camelllm.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.main.Main;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-format upstream on Vert.x that holds thousands of requests on two event-loop threads: a
 * streamed request gets its first chunk at once and the rest when the test releases it; a plain request
 * gets no answer at all until released, and the fake counts the connections its clients closed.
 */
final class VertxSseUpstream implements AutoCloseable {

    static final String FIRST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"many\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
    static final String REST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"many\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"many\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
            + "data: [DONE]\n\n";
    static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"many\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    private final HttpServer server;
    private final Queue<HttpServerResponse> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();

    VertxSseUpstream() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            requests.incrementAndGet();
            HttpServerResponse response = req.response();
            boolean stream = body.toString().contains("\"stream\":true");
            response.closeHandler(v -> closedByClient.incrementAndGet());
            if (stream) {
                response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                response.write(FIRST);
            }
            held.incrementAndGet();
            waiting.add(response);
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    int requests() {
        return requests.get();
    }

    /** Requests held now, waiting for {@link #releaseAll()}. */
    int held() {
        return held.get();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    /**
     * Settings of a gateway on a loopback port with one unlimited key and, for each name, an OpenAI profile
     * (no retries) at this fake.
     */
    Properties gatewaySettings(int port, String key, String... profiles) {
        Properties p = GatewayTestSupport.serverOn(port);
        for (String profile : profiles) {
            String at = "camel.component.llm.profiles[" + profile + "].";
            p.put(at + "provider", "openai");
            p.put(at + "base-url", baseUrl());
            p.put(at + "model", "many");
            p.put(at + "api-key", "sk-provider-many-SECRET-1a2b3c");
            p.put(at + "max-retries", "0");
            p.put(at + "resilience-group", profile);
        }
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.test.key", key);
        p.put(gw + "keys.test.requests-per-minute", "1000000");
        p.put(gw + "keys.test.tokens-per-minute", "100000000");
        return p;
    }

    /** Camel Main with the gateway routes and these settings, started. */
    static Main startGateway(Properties settings) throws Exception {
        Main main = new Main();
        main.setOverrideProperties(settings);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        return main;
    }

    /** Ends every held request: the rest of a stream, or the whole answer. */
    void releaseAll() {
        HttpServerResponse r;
        while ((r = waiting.poll()) != null) {
            HttpServerResponse response = r;
            held.decrementAndGet();
            vertx.runOnContext(v -> {
                if (response.closed()) {
                    return;
                }
                if (response.isChunked()) {
                    response.end(REST);
                } else {
                    response.putHeader("Content-Type", "application/json").end(ANSWER);
                }
            });
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
