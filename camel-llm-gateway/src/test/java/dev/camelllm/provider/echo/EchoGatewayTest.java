package dev.camelllm.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.gateway.LlmGatewayRoutes;
import dev.camelllm.spi.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test-only echo provider behind the gateway: a profile configured by properties as an operator
 * would (its own option as provider-options), answering POST /v1/chat/completions plain and streamed.
 */
@Timeout(60)
class EchoGatewayTest {

    private static final String KEY = "gw-echo-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Main main;
    private static String gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        int port = EchoGateway.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = EchoGateway.settings(port, KEY);
        p.put("camel.component.llm.profiles[echo].provider-options[suffix]", " (echoed)");
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
    }

    @AfterAll
    static void stopGateway() {
        if (main != null) {
            main.stop();
        }
    }

    private static HttpResponse<String> chat(boolean stream) throws Exception {
        String body = "{\"model\":\"echo\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"make it loud\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAChatCompletion() throws Exception {
        HttpResponse<String> response = chat(false);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode root = Json.parse(response.body());
        assertThat(root.path("choices").path(0).path("message").path("content").asText()).isEqualTo("MAKE IT LOUD (echoed)");
        assertThat(root.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void streamsAChatCompletion() throws Exception {
        HttpResponse<String> response = chat(true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> deltas = new ArrayList<>();
        List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        for (String d : data) {
            if (!d.equals("[DONE]")) {
                // the first event carries the role with empty content, as OpenAI sends it
                JsonNode content = Json.parse(d).path("choices").path(0).path("delta").path("content");
                if (content.isTextual() && !content.asText().isEmpty()) {
                    deltas.add(content.asText());
                }
            }
        }
        assertThat(deltas).containsExactly("MAKE ", "IT ", "LOUD ", "(echoed)");
        assertThat(data).last().isEqualTo("[DONE]");
    }
}
