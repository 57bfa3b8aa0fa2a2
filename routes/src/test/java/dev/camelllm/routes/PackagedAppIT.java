package dev.camelllm.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app as a user runs it: the packaged jar started as a process from the repository root, on its
 * embedded default (the tiny local model, offline), answering over HTTP, then stopped cleanly. Its cloud
 * and reasoning profiles point at a closed port (as when no Ollama runs), so their fallback answers.
 */
@Timeout(180)
class PackagedAppIT {

    private static final String GATEWAY_KEY = "gw-it-0123456789abcdef";

    @Test
    void packagedAppAnswersOfflineAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("app.jar"));
        assertThat(jar).exists();
        Path root = Path.of(System.getProperty("camel.llm.repoRoot")).toAbsolutePath().normalize();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("routes-app", ".log");
        // a user's own YAML route, added with --routes DIR
        Path userRoutes = Files.createTempDirectory("user-routes");
        Files.writeString(userRoutes.resolve("mine.yaml"), """
                - route:
                    id: mine
                    from:
                      uri: platform-http:/mine
                      steps:
                        - convertBodyTo:
                            type: java.lang.String
                        - to:
                            uri: llm:local
                """);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-jar", jar.toString(), "--routes", userRoutes.toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("LLM_HTTP_PORT", String.valueOf(port));
        pb.environment().remove("LLM_PROVIDER");
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().remove("ANTHROPIC_API_KEY");
        pb.environment().put("LLM_GATEWAY_KEY", GATEWAY_KEY);
        pb.environment().remove("LLM_BIND_HOST");
        // the cloud and reasoning profiles' servers are down: nothing listens there
        String down = "http://127.0.0.1:" + closedPort() + "/v1";
        pb.environment().put("LLM_CLOUD_BASE_URL", down);
        pb.environment().put("LLM_REASONING_BASE_URL", down);
        Process app = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + GATEWAY_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("Hello")).build();
            String[] answer = new String[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("the app exited (see " + log + ")", () -> !app.isAlive())
                    .until(() -> {
                        HttpResponse<String> r = http.send(hello, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        answer[0] = r.body();
                        return r.statusCode() == 200;
                    });
            // the tiny model's trained answer, from the local provider
            assertThat(answer[0]).isEqualTo("Hello! How can I help you today?");
            HttpResponse<String> mine = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mine"))
                    .timeout(Duration.ofSeconds(30)).header("x-api-key", GATEWAY_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("Count to ten")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(mine.statusCode()).isEqualTo(200);
            assertThat(mine.body()).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
            // the tool loop, offline: the model calls get_weather, the app's route answers it
            HttpResponse<String> weather = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/weather"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + GATEWAY_KEY).POST(HttpRequest.BodyPublishers.ofString("What is the weather in Paris?"))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(weather.statusCode()).isEqualTo(200);
            assertThat(weather.body()).isEqualTo("It is 18°C and sunny in Paris.");
            assertThat(weather.headers().firstValue("X-Llm-Tool-Rounds")).hasValue("1");
            // hybrid routing: the chat task goes to the local model
            HttpResponse<String> ask = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ask"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + GATEWAY_KEY).header("X-Task", "chat").POST(HttpRequest.BodyPublishers.ofString("Count to ten"))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(ask.body()).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
            assertThat(ask.headers().firstValue("X-Llm-Answered-By")).hasValueSatisfying(v -> assertThat(v).startsWith("onnx/"));
            gatewayServesTheLocalModel(http, "http://127.0.0.1:" + port);
            gatewayFallsBackFromTheCloudProfiles(http, "http://127.0.0.1:" + port);
            routesAreClosedToOthers(http, port);
        } finally {
            app.destroy();
            boolean exited = app.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                app.destroyForcibly();
            }
            assertThat(exited).as("the app stops within 30 s of SIGTERM; log:\n" + tail(log)).isTrue();
        }
        assertThat(Files.readString(log)).contains("shutdown");
    }

    /** The gateway (docs/gateway.md) in both APIs, with the key given by LLM_GATEWAY_KEY. */
    private static void gatewayServesTheLocalModel(HttpClient http, String base) throws Exception {
        HttpResponse<String> openAi = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + GATEWAY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(openAi.statusCode()).isEqualTo(200);
        assertThat(openAi.body()).contains("\"content\":\"Hello! How can I help you today?\"");
        HttpResponse<String> anthropicStream = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .timeout(Duration.ofSeconds(30)).header("x-api-key", GATEWAY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"local\",\"max_tokens\":64,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to ten\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(anthropicStream.statusCode()).isEqualTo(200);
        assertThat(anthropicStream.body()).startsWith("event: message_start").contains("text_delta")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(noKey.statusCode()).isEqualTo(401);
    }

    /**
     * The cloud and reasoning profiles, their server down, through both APIs, plain and streamed: their
     * fallback (the local model) answers in the gateway's form (out of the box this was a 500 when not streamed).
     */
    private static void gatewayFallsBackFromTheCloudProfiles(HttpClient http, String base) throws Exception {
        for (String model : new String[] {"cloud", "reasoning"}) {
            String openAiBody = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
            HttpResponse<String> plain = gateway(http, base + "/v1/chat/completions", openAiBody + "}");
            assertThat(plain.statusCode()).as(model + " " + plain.body()).isEqualTo(200);
            assertThat(plain.body()).contains("\"content\":\"Hello! How can I help you today?\"");
            assertThat(plain.headers().firstValue("x-llm-provider")).hasValue("onnx");
            HttpResponse<String> streamed = gateway(http, base + "/v1/chat/completions", openAiBody + ",\"stream\":true}");
            assertThat(streamed.statusCode()).as(model).isEqualTo(200);
            assertThat(streamed.body()).as(model).contains("\"delta\":{\"content\":\"").doesNotContain("\"error\"")
                    .endsWith("data: [DONE]\n\n");

            String anthropicBody = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Hello\"}]";
            HttpResponse<String> message = gateway(http, base + "/v1/messages", anthropicBody + "}");
            assertThat(message.statusCode()).as(model + " " + message.body()).isEqualTo(200);
            assertThat(message.body()).contains("\"text\":\"Hello! How can I help you today?\"");
            HttpResponse<String> events = gateway(http, base + "/v1/messages", anthropicBody + ",\"stream\":true}");
            assertThat(events.statusCode()).as(model).isEqualTo(200);
            assertThat(events.body()).as(model).contains("text_delta").doesNotContain("event: error")
                    .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        }
    }

    private static HttpResponse<String> gateway(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + GATEWAY_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Listening on loopback only, and with a gateway key set, no route without it. */
    private static void routesAreClosedToOthers(HttpClient http, int port) throws Exception {
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("Hello")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(noKey.statusCode()).isEqualTo(401);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(health.statusCode()).isEqualTo(401);
        NonLoopbackAddress.find().ifPresent(address -> NonLoopbackAddress.assertRefused(address, port));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

}
