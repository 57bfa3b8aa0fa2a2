package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.execution.CallThreads;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many long streams at once through the gateway on JDK 21+: each waits on a parked virtual thread, so the
 * platform threads stay few; a profile's cap sheds in the caller's format; a client that leaves a plain
 * (non-streamed) request frees the upstream connection.
 */
@Timeout(120)
class GatewayConcurrencyTest {

    static final String KEY = "gw-many-0123456789abcdef";
    static final int STREAMS = 500;

    static VertxSseUpstream upstream;
    static Main main;
    static String gateway;
    static ExecutorService clientThreads;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        upstream = new VertxSseUpstream();
        int port = GatewayTestSupport.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = upstream.gatewaySettings(port, KEY, "many", "capped");
        p.put("camel.component.llm.profiles[capped].max-in-flight", "2");
        main = VertxSseUpstream.startGateway(p);
        clientThreads = Executors.newFixedThreadPool(4);
        // HTTP/1.1: over h2c the JDK client would multiplex every request on one connection, capped at 100 streams
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        upstream.close();
        clientThreads.shutdownNow();
    }

    @AfterEach
    void releaseHeld() {
        upstream.releaseAll();
    }

    private static CompletableFuture<HttpResponse<String>> post(String model, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Test
    void fiveHundredConcurrentStreamsCompleteWithFewPlatformThreads() throws Exception {
        assumeTrue(CallThreads.virtualThreadsAvailable(), "needs JDK 21+ (virtual threads); Java 17 sheds, see GatewayShedTest");
        // warm up: the event loops, the pool and the classes are there before the baseline is taken
        CompletableFuture<HttpResponse<String>> warm = post("many", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() == 1);
        upstream.releaseAll();
        assertThat(warm.get(20, TimeUnit.SECONDS).body()).contains("[DONE]");
        int baseline = platformThreads();

        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(post("many", true));
        }
        int[] peak = {0};
        // all 500 are held by the upstream at once: none of them waits for another to end
        await("all " + STREAMS + " streams held by the upstream at once").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
            peak[0] = Math.max(peak[0], platformThreads());
            return upstream.held() == STREAMS;
        });
        peak[0] = Math.max(peak[0], platformThreads());
        upstream.releaseAll();

        int whole = 0;
        for (CompletableFuture<HttpResponse<String>> f : streams) {
            HttpResponse<String> response = f.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            if (response.body().contains("\"content\":\"Hel\"") && response.body().contains("\"content\":\"lo\"")
                    && response.body().contains("data: [DONE]")) {
                whole++;
            }
        }
        assertThat(whole).as("streams that arrived whole").isEqualTo(STREAMS);
        // a thread per stream would add 500; virtual threads add none beyond the carriers and event loops
        assertThat(peak[0] - baseline).as("platform threads added while %d streams were open (baseline %d)", STREAMS,
                baseline).isLessThan(50);
        LlmComponent llm = main.getCamelContext().getComponent("llm", LlmComponent.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().open() == 0);
    }

    @Test
    void aFullProfileCapAnswers503WithRetryAfterInTheCallersFormat() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = List.of(post("capped", true), post("capped", false));
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() == 2);

        HttpResponse<String> shed = post("capped", true).get(20, TimeUnit.SECONDS);

        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
        assertThat(shed.body()).contains("\"error\"").contains("maxInFlight").contains("overloaded");
        upstream.releaseAll();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatLeavesAPlainRequestFreesTheUpstreamConnection() throws Exception {
        int closedBefore = upstream.closedByClient();
        int heldBefore = upstream.held();
        String body = "{\"model\":\"many\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        URI uri = URI.create(gateway);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + KEY + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() == heldBefore + 1);
        } // the client leaves before any answer

        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.closedByClient() > closedBefore);
        LlmComponent llm = main.getCamelContext().getComponent("llm", LlmComponent.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.http().leasedConnections() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().open() == 0);
    }
}
