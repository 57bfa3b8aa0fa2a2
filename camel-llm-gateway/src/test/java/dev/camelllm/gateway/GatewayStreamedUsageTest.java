package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;
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
 * Streamed answers count against a gateway key's tokens per minute like JSON answers do, also when the
 * upstream's stream carries no usage. Two openai-compatible upstreams (raw-socket fakes): one honours
 * {@code stream_options.include_usage}, one ignores it and never reports usage.
 */
@Timeout(60)
class GatewayStreamedUsageTest {

    /** 50 tokens a minute each; one streamed answer here is about 45 tokens (160 characters and the prompt). */
    private static final String IGNORING_KEY = "gw-ignoring-0123456789abcdef";
    private static final String HONOURING_KEY = "gw-honouring-0123456789abcdef";
    private static final String TEXT_PART = "Forty characters of streamed answer.....";

    private static ScriptedHttpServer ignoresUsage;
    private static ScriptedHttpServer honoursUsage;
    private static Main main;
    private static String gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        ignoresUsage = new ScriptedHttpServer().then(stream(false));
        honoursUsage = new ScriptedHttpServer().then(stream(true));
        int port = GatewayTestSupport.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = GatewayTestSupport.serverOn(port);
        profile(p, "ignores-usage", ignoresUsage);
        profile(p, "honours-usage", honoursUsage);
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.ignoring.key", IGNORING_KEY);
        p.put(gw + "keys.ignoring.tokens-per-minute", "50");
        p.put(gw + "keys.honouring.key", HONOURING_KEY);
        p.put(gw + "keys.honouring.tokens-per-minute", "50");
        main = VertxSseUpstream.startGateway(p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        ignoresUsage.close();
        honoursUsage.close();
    }

    @Test
    void streamsWithoutUsageAreChargedByTheirTextUntilTheKeyIsLimited() throws Exception {
        List<Integer> statuses = streamUntilLimited(IGNORING_KEY, "ignores-usage");

        // before: every stream charged nothing but its prompt, and all 20 passed
        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(Json.parse(ignoresUsage.requests().get(0).body()).at("/stream_options/include_usage").asBoolean())
                .as("stream usage asked for by default").isTrue();
    }

    @Test
    void streamsAreChargedWithTheUsageTheUpstreamReports() throws Exception {
        List<Integer> statuses = streamUntilLimited(HONOURING_KEY, "honours-usage");

        assertThat(statuses).containsExactly(200, 200, 429);
    }

    /** Streamed requests one after another, up to 20, until the first that is not 200. */
    private static List<Integer> streamUntilLimited(String key, String model) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
            if (r.statusCode() != 200) {
                assertThat(r.body()).contains("tokens per minute");
                break;
            }
            assertThat(r.body()).contains("data: [DONE]");
        }
        return statuses;
    }

    private static void profile(Properties p, String name, ScriptedHttpServer upstream) {
        String at = "camel.component.llm.profiles[" + name + "].";
        p.put(at + "provider", "openai-compatible");
        p.put(at + "base-url", upstream.baseUrl() + "/v1");
        p.put(at + "model", "compat-model");
        p.put(at + "max-retries", "0");
    }

    /**
     * Four text chunks of 40 characters, then [DONE]; with the usage chunk (45 tokens) only when the upstream
     * honours stream_options and the request asked for it.
     */
    private static ScriptedHttpServer.Script stream(boolean honoursStreamOptions) {
        return ex -> {
            boolean asked = Json.parse(ex.request().body()).at("/stream_options/include_usage").asBoolean(false);
            ex.startStream(200);
            for (int i = 0; i < 4; i++) {
                ex.send(chunk("{\"content\":\"" + TEXT_PART + "\"}", i == 3 ? "\"stop\"" : "null"));
            }
            if (honoursStreamOptions && asked) {
                ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"compat-model\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":40,\"total_tokens\":45}}\n\n");
            }
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        };
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"compat-model\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }
}
