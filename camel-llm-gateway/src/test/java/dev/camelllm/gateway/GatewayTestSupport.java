package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.camelllm.testsupport.ScriptedHttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the gateway routes in Camel Main on a free loopback port, configured by properties as an operator
 * would, in front of four profiles: {@code local} (the shipped tiny ONNX model), {@code gpt-up} (an
 * OpenAI-format WireMock upstream), {@code claude-up} (an Anthropic-format WireMock upstream) and
 * {@code held} (an OpenAI-format raw-socket fake that can hold a stream back or cut it).
 */
abstract class GatewayTestSupport {

    /** Gateway keys: all models; only the local model; two requests a minute; 40 tokens a minute. */
    static final String FULL_KEY = "gw-full-0123456789abcdef";
    static final String LOCAL_ONLY_KEY = "gw-local-0123456789abcdef";
    static final String LIMITED_KEY = "gw-limited-0123456789abcdef";
    /** 40 tokens a minute: the local model's "Hello" uses 23 (13 in, 10 out). */
    static final String TOKEN_LIMITED_KEY = "gw-tokens-0123456789abcdef";
    /** The provider keys: they must never reach a client or a log. */
    static final String OPENAI_PROVIDER_KEY = "sk-provider-openai-SECRET-7f3a9c";
    static final String ANTHROPIC_PROVIDER_KEY = "sk-ant-provider-SECRET-88d2e1";

    static Main main;
    static WireMockServer openAiUpstream;
    static WireMockServer anthropicUpstream;
    static ScriptedHttpServer held;
    static String gateway;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startGateway() throws Exception {
        openAiUpstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        anthropicUpstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        openAiUpstream.start();
        anthropicUpstream.start();
        held = new ScriptedHttpServer();
        int port = freePort();
        gateway = "http://127.0.0.1:" + port;

        main = new Main();
        main.setOverrideProperties(properties(port));
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (main != null) {
            main.stop();
        }
        openAiUpstream.stop();
        anthropicUpstream.stop();
        held.close();
    }

    @BeforeEach
    void resetUpstreams() {
        openAiUpstream.resetAll();
        anthropicUpstream.resetAll();
        held.reset();
    }

    static CamelContext context() {
        return main.getCamelContext();
    }

    /** The settings of Camel Main's HTTP server on this loopback port. */
    static Properties serverOn(int port) {
        Properties p = new Properties();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(port));
        return p;
    }

    static Properties properties(int port) {
        Properties p = serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "max-tokens", "128");
        p.put(llm + "profiles[local].provider", "onnx");
        p.put(llm + "profiles[local].model-path", tinyModel().toString());
        p.put(llm + "profiles[local].enable-thinking", "false");
        p.put(llm + "profiles[gpt-up].provider", "openai");
        p.put(llm + "profiles[gpt-up].base-url", openAiUpstream.baseUrl() + "/v1");
        p.put(llm + "profiles[gpt-up].model", "gpt-upstream-1");
        p.put(llm + "profiles[gpt-up].api-key", OPENAI_PROVIDER_KEY);
        p.put(llm + "profiles[gpt-up].max-retries", "0");
        p.put(llm + "profiles[claude-up].provider", "anthropic");
        p.put(llm + "profiles[claude-up].base-url", anthropicUpstream.baseUrl());
        p.put(llm + "profiles[claude-up].model", "claude-upstream-1");
        p.put(llm + "profiles[claude-up].api-key", ANTHROPIC_PROVIDER_KEY);
        p.put(llm + "profiles[claude-up].max-retries", "0");
        p.put(llm + "profiles[held].provider", "openai");
        p.put(llm + "profiles[held].base-url", held.baseUrl() + "/v1");
        p.put(llm + "profiles[held].model", "held-model");
        p.put(llm + "profiles[held].api-key", OPENAI_PROVIDER_KEY);
        p.put(llm + "profiles[held].max-retries", "0");
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.full.key", FULL_KEY);
        p.put(gw + "keys.local-only.key", LOCAL_ONLY_KEY);
        p.put(gw + "keys.local-only.models", "local");
        p.put(gw + "keys.limited.key", LIMITED_KEY);
        p.put(gw + "keys.limited.requests-per-minute", "2");
        p.put(gw + "keys.tokens.key", TOKEN_LIMITED_KEY);
        p.put(gw + "keys.tokens.tokens-per-minute", "40");
        p.put(gw + "cors-origins", "http://app.example");
        p.put(gw + "max-body-bytes", "65536");
        return p;
    }

    static Path tinyModel() {
        return Path.of(System.getProperty("camel.llm.repoRoot", ".."), "models", "tiny-chat").toAbsolutePath().normalize();
    }

    static HttpResponse<String> post(String path, String key, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A script for the held fake: a stream that sends {@code first}, then a token every 50 ms (at most 10 s of
     * them) until the gateway closes the upstream connection, which counts {@code upstreamClosed} down.
     */
    static ScriptedHttpServer.Script tokensUntilUpstreamClosed(String first, java.util.concurrent.CountDownLatch upstreamClosed) {
        return ex -> {
            ex.startStream(200);
            ex.send(first);
            try {
                for (int i = 0; i < 200; i++) {
                    Thread.sleep(50);
                    ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" more\"},\"finish_reason\":null}]}\n\n");
                }
            } catch (IOException gone) {
                upstreamClosed.countDown();
            }
        };
    }
}
