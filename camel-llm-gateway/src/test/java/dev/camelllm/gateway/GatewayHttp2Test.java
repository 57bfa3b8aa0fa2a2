package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that speaks HTTP/2 in clear text (prior knowledge, as gRPC-style and load-test clients do) gets
 * the same answers as a HTTP/1.1 one: platform-http's Vert.x server accepts h2c, and the gateway's
 * streams multiplex on one connection, each arriving whole.
 */
@Timeout(60)
class GatewayHttp2Test {

    private static final String KEY = "gw-h2-0123456789abcdef";
    private static final int STREAMS = 20;

    private static VertxSseUpstream upstream;
    private static Main main;
    private static int port;
    private static Vertx vertx;
    private static HttpClient h2;

    @BeforeAll
    static void start() throws Exception {
        upstream = new VertxSseUpstream();
        port = GatewayTestSupport.freePort();
        main = VertxSseUpstream.startGateway(upstream.gatewaySettings(port, KEY, "many"));
        vertx = Vertx.vertx();
        h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false), new PoolOptions().setHttp2MaxSize(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (main != null) {
            main.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** A response over h2c: its version, the connection it came on, and its whole body once it ended. */
    private record Answer(HttpVersion version, HttpConnection connection, int status, CompletableFuture<String> body) {
    }

    private static Answer post(boolean stream) throws Exception {
        String body = "{\"model\":\"many\"," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v1/chat/completions").putHeader("Authorization", "Bearer " + KEY)
                .putHeader("Content-Type", "application/json");
        // the body is asked for on the event loop as the headers arrive, before any of it can be missed
        Future<Answer> sent = h2.request(options).compose(req -> req.send(Buffer.buffer(body)))
                .map(response -> new Answer(response.version(), response.request().connection(), response.statusCode(),
                        response.body().map(Buffer::toString).toCompletionStage().toCompletableFuture()));
        return sent.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aJsonAnswerOverH2c() throws Exception {
        int before = upstream.held();
        CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return post(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() > before);
        upstream.releaseAll();
        Answer a = answer.get(20, TimeUnit.SECONDS);
        assertThat(a.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get(20, TimeUnit.SECONDS)).contains("\"content\":\"Hello\"").contains("chat.completion");
    }

    @Test
    void streamsMultiplexOnOneConnectionAndEachArrivesWhole() throws Exception {
        List<Answer> answers = new ArrayList<>();
        // the first chunk of each stream arrives while the upstream holds the rest: every response has begun
        for (int i = 0; i < STREAMS; i++) {
            answers.add(post(true));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() >= STREAMS);
        upstream.releaseAll();
        Set<HttpConnection> connections = new HashSet<>();
        for (Answer a : answers) {
            assertThat(a.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(a.status()).isEqualTo(200);
            String sse = a.body().get(20, TimeUnit.SECONDS);
            assertThat(sse).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"").endsWith("data: [DONE]\n\n");
            connections.add(a.connection());
        }
        assertThat(connections).hasSize(1);
    }
}
