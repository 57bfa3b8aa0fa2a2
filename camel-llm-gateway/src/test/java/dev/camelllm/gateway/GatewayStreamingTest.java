package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camelllm.component.LlmComponent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Server-sent events leave the gateway as the upstream's chunks arrive, a failure after the first event
 * ends in an error event (never a complete answer), and a client that leaves frees the upstream.
 */
class GatewayStreamingTest extends GatewayTestSupport {

    private static final String FIRST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"held-model\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
    private static final String REST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"held-model\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"held-model\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
            + "data: [DONE]\n\n";

    private static InputStream openStream(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + FULL_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        return response.body();
    }

    /** Reads lines until one contains the text; bounded, so a gateway that buffers fails the test instead of hanging it. */
    private static List<String> readUntil(BufferedReader reader, String text) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    if (line.contains(text)) {
                        return lines;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return lines;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theFirstOpenAiEventReachesTheClientWhileTheUpstreamHoldsTheRestBack() throws Exception {
        assertFirstEventArrivesBeforeTheRest("/v1/chat/completions",
                "{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "[DONE]");
    }

    @Test
    void theFirstAnthropicEventReachesTheClientWhileTheUpstreamHoldsTheRestBack() throws Exception {
        assertFirstEventArrivesBeforeTheRest("/v1/messages",
                "{\"model\":\"held\",\"stream\":true,\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "message_stop");
    }

    /** The upstream sends "Hel" and waits until the client has it; a gateway that buffered would never get there. */
    private static void assertFirstEventArrivesBeforeTheRest(String path, String body, String endMarker) throws Exception {
        CountDownLatch clientHasFirst = new CountDownLatch(1);
        held.then(ex -> {
            ex.startStream(200);
            ex.send(FIRST);
            ex.await(clientHasFirst, 10);
            ex.send(REST);
            ex.endStream();
        });
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(openStream(path, body), StandardCharsets.UTF_8))) {
            List<String> first = readUntil(reader, "Hel");
            assertThat(String.join("\n", first)).contains("Hel").doesNotContain("lo\"");
            clientHasFirst.countDown(); // only now may the upstream send the rest
            List<String> rest = readUntil(reader, endMarker);
            assertThat(String.join("\n", rest)).contains("lo").contains(endMarker);
        }
    }

    @Test
    void anUpstreamErrorAfterTheFirstEventEndsTheStreamWithAnErrorEventAndNoEndMarker() throws Exception {
        held.then(ex -> {
            ex.startStream(200);
            ex.send(FIRST);
            ex.send("data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}\n\n");
            ex.endStream();
        });

        String openAi = new String(openStream("/v1/chat/completions",
                "{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").readAllBytes(), StandardCharsets.UTF_8);
        String anthropic = new String(openStream("/v1/messages",
                "{\"model\":\"held\",\"stream\":true,\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").readAllBytes(), StandardCharsets.UTF_8);

        assertThat(openAi).contains("Hel").contains("\"error\"").doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
        assertThat(anthropic).contains("Hel").contains("event: error").doesNotContain("message_stop");
    }

    @Test
    void anUpstreamFailureBeforeTheFirstTokenIsAPlainErrorWithItsStatus() throws Exception {
        held.then(ex -> ex.respond(429, "application/json",
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                "retry-after", "3"));

        HttpResponse<String> openAi = post("/v1/chat/completions", FULL_KEY,
                "{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        HttpResponse<String> anthropic = post("/v1/messages", FULL_KEY,
                "{\"model\":\"held\",\"stream\":true,\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(openAi.statusCode()).isEqualTo(429);
        assertThat(openAi.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(openAi.headers().firstValue("retry-after")).hasValue("3");
        assertThat(openAi.body()).contains("\"rate_limit_error\"");
        assertThat(anthropic.statusCode()).isEqualTo(429);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\"").contains("\"rate_limit_error\"");
    }

    @Test
    void aClientThatLeavesMidStreamClosesTheUpstreamConnection() throws Exception {
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        held.then(tokensUntilUpstreamClosed(FIRST, upstreamClosed));

        InputStream stream = openStream("/v1/chat/completions",
                "{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        readUntil(reader, "Hel");
        stream.close();

        assertThat(upstreamClosed.await(15, TimeUnit.SECONDS)).as("the upstream connection was closed").isTrue();
        LlmComponent llm = context().getComponent("llm", LlmComponent.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.http().leasedConnections() == 0);
    }
}
