package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded mode (Java 17's, here forced with executionMode=platform on any JDK): with 4 platform
 * threads, 4 streams run and every further request is answered at once with 503 and retry-after in the
 * caller's format, instead of waiting in a queue.
 */
@Timeout(60)
class GatewayShedTest {

    static final String KEY = "gw-shed-0123456789abcdef";
    static final int THREADS = 4;

    static VertxSseUpstream upstream;
    static Main main;
    static String gateway;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        upstream = new VertxSseUpstream();
        int port = GatewayTestSupport.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = upstream.gatewaySettings(port, KEY, "many");
        p.put("camel.component.llm.execution-mode", "platform");
        p.put("camel.component.llm.platform-threads", String.valueOf(THREADS));
        main = VertxSseUpstream.startGateway(p);
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.releaseAll();
        if (main != null) {
            main.stop();
        }
        upstream.close();
    }

    private static CompletableFuture<HttpResponse<String>> post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beyondThePoolRequestsAreShedAtOnceInTheCallersFormat() throws Exception {
        String openAi = "{\"model\":\"many\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        String anthropic = "{\"model\":\"many\",\"stream\":true,\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            running.add(post("/v1/chat/completions", openAi));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.held() == THREADS);

        HttpResponse<String> shedOpenAi = post("/v1/chat/completions", openAi).get(10, TimeUnit.SECONDS);
        HttpResponse<String> shedAnthropic = post("/v1/messages", anthropic).get(10, TimeUnit.SECONDS);

        assertThat(shedOpenAi.statusCode()).isEqualTo(503);
        assertThat(shedOpenAi.headers().firstValue("retry-after")).hasValue("1");
        assertThat(shedOpenAi.body()).contains("\"error\"").contains("\"message\"").contains("requests in flight");
        assertThat(shedAnthropic.statusCode()).isEqualTo(503);
        assertThat(shedAnthropic.headers().firstValue("retry-after")).hasValue("1");
        assertThat(shedAnthropic.body()).contains("\"type\":\"error\"").contains("overloaded_error");
        assertThat(upstream.held()).as("no shed request reached the upstream").isEqualTo(THREADS);

        upstream.releaseAll();
        for (CompletableFuture<HttpResponse<String>> f : running) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("[DONE]");
        }
        // capacity is back once the streams ended: the next request reaches the upstream again
        int before = upstream.requests();
        CompletableFuture<HttpResponse<String>> again = post("/v1/chat/completions", openAi);
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.requests() == before + 1);
        upstream.releaseAll();
        assertThat(again.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
