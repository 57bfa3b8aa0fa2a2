package dev.camelllm.examples.tickets;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as shipped (its YAML route, schema, properties and sample tickets) against a loopback server
 * that speaks OpenAI's Chat Completions: it answers each ticket with JSON for the schema, but the crash ticket
 * first with prose, so that the pipeline's re-ask is part of the run. The tickets land in their category's
 * folder as the Ticket's JSON.
 */
@Timeout(120)
class TicketPipelineTest extends CamelMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path out;

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();
    static final List<JsonNode> REQUESTS = new CopyOnWriteArrayList<>();
    static final HttpServer UPSTREAM = upstream();

    private static HttpServer upstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/chat/completions", TicketPipelineTest::answer);
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.stop(0);
    }

    /** What a model that follows the schema would answer; the crash ticket's first answer is prose. */
    private static void answer(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        REQUESTS.add(request);
        JsonNode messages = request.get("messages");
        String ticket = messages.get(1).get("content").asText();
        String content;
        if (ticket.contains("invoice")) {
            content = "{\"category\":\"billing\",\"urgency\":2,\"summary\":\"Invoice is wrong\"}";
        } else if (messages.size() == 2) {
            content = "This looks like a technical problem: the app crashes.";
        } else {
            content = "{\"category\":\"technical\",\"urgency\":4,\"summary\":\"App crashes on start\"}";
        }
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("id", "chatcmpl-t").put("object", "chat.completion")
                .put("created", 1737521813).put("model", "gpt-4o-mini")
                .set("choices", JSON.createArrayNode().add(JSON.createObjectNode().put("index", 0)
                        .put("finish_reason", "stop")
                        .set("message", JSON.createObjectNode().put("role", "assistant").put("content", content)))));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return TicketPipeline.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("tickets.in", ROOT.resolve("examples/ticket-pipeline/tickets").toString());
        p.put("tickets.out", out.toString());
        p.put("camel.component.llm.provider", "openai");
        p.put("camel.component.llm.base-url", "http://127.0.0.1:" + UPSTREAM.getAddress().getPort() + "/v1");
        p.put("camel.component.llm.api-key", "test-key-tickets-4f1");
        p.put("camel.component.llm.model", "gpt-4o-mini");
        p.put("camel.component.llm.max-retries", "0");
        return p;
    }

    @Test
    void shippedTicketsAreClassifiedIntoTheirCategoryFolders() throws Exception {
        Path billing = out.resolve("billing/ticket-1.txt");
        Path technical = out.resolve("technical/ticket-2.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(billing) && Files.isRegularFile(technical));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(JSON.readTree(Files.readString(billing, StandardCharsets.UTF_8)))
                    .isEqualTo(JSON.readTree("{\"category\":\"billing\",\"urgency\":2,\"summary\":\"Invoice is wrong\"}"));
            assertThat(JSON.readTree(Files.readString(technical, StandardCharsets.UTF_8)))
                    .isEqualTo(JSON.readTree("{\"category\":\"technical\",\"urgency\":4,\"summary\":\"App crashes on start\"}"));
        });
        // one answer for the invoice, two for the crash (prose, then the re-ask with the errors)
        assertThat(REQUESTS).hasSize(3);
        for (JsonNode r : REQUESTS) {
            JsonNode schema = r.get("response_format").get("json_schema").get("schema");
            assertThat(schema.get("properties").get("category").get("enum")).hasSize(3);
        }
        assertThat(REQUESTS).anySatisfy(r -> assertThat(r.get("messages")).hasSize(4));
    }
}
