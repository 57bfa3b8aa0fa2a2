package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.spi.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * camel-llm registered under a name of its own (as when camel-openai 4.23+ claims {@code llm}): the gateway
 * calls it under {@code llm.gateway.component}, and a name that is not camel-llm's fails the start saying so.
 */
@Timeout(60)
class GatewayComponentNameTest {

    private static final String KEY = "gw-name-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theGatewayCallsTheComponentUnderTheConfiguredName() throws Exception {
        int port = GatewayTestSupport.freePort();
        Properties p = settings(port);
        p.put("camel.beans.mylm", "#class:dev.camelllm.component.LlmComponent");
        p.put("camel.component.mylm.profiles[echo].provider", "echo");
        p.put("camel.component.mylm.profiles[echo].model", "echo-7");
        p.put("llm.gateway.component", "mylm");
        Main main = start(p);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"by name\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode root = Json.parse(response.body());
            assertThat(root.path("choices").path(0).path("message").path("content").asText()).isEqualTo("BY NAME");
            assertThat(main.getCamelContext().hasComponent("llm")).as("nothing registered as llm").isNull();
        } finally {
            main.stop();
        }
    }

    @Test
    void aNameThatIsNotCamelLlmsFailsTheStartNamingTheSetting() throws Exception {
        Properties p = settings(GatewayTestSupport.freePort());
        p.put("camel.component.llm.profiles[echo].provider", "echo");
        p.put("llm.gateway.component", "log");
        Main main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        try {
            assertThatThrownBy(main::start).satisfies(e -> assertThat(innermost(e))
                    .hasMessageContaining("llm.gateway.component")
                    .hasMessageContaining("'log'")
                    .hasMessageContaining("camel.beans.mylm"));
        } finally {
            main.stop();
        }
    }

    private static Throwable innermost(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    private static Properties settings(int port) {
        Properties p = GatewayTestSupport.serverOn(port);
        p.put("llm.gateway.keys.k.key", KEY);
        return p;
    }

    private static Main start(Properties p) throws Exception {
        Main main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        return main;
    }
}
