package dev.camelllm.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.observability.usage.UsageRecord;

import static dev.camelllm.observability.LlmMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * operation=embed in the metrics, the request log and (not) the usage records, against an OpenAI-format
 * {@code POST /v1/embeddings} fake on loopback: counted under gen_ai.operation.name=embeddings, never as chat.
 */
@Timeout(30)
class EmbeddingObservabilityTest extends ObservabilityTestSupport {

    private static final String[] MODEL = { OPERATION, "embeddings", PROVIDER, "openai", REQUEST_MODEL,
        "text-embedding-3-small", PROFILE, "embed" };

    private LogCapture logs;
    private final List<Exchange> usage = new CopyOnWriteArrayList<>();

    @BeforeEach
    void attachLogs() {
        logs = LogCapture.attach();
    }

    @AfterEach
    void detachLogs() {
        logs.close();
    }

    private void start() throws Exception {
        llm().setUsageEndpoint("seda:usage");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:embed").to(openAi("embed", "text-embedding-3-small", "operation=embed&maxRetries=0"));
                from("direct:chat").to(openAi("chat", "gpt-4o-mini", null));
                from("seda:usage").process(e -> usage.add(e.copy()));
            }
        });
        context.start();
    }

    private Exchange embed(Object body) {
        return template.request("direct:embed", e -> e.getMessage().setBody(body));
    }

    private static String vectors(int tokens, int count) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < count; i++) {
            data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[0.25,0.5]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small-v2\","
                + "\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}}";
    }

    @Test
    void anEmbeddingIsCountedUnderItsOwnOperationWithItsInputTokens() throws Exception {
        start();
        upstream.then(ex -> ex.respond(200, "application/json", vectors(7, 2)),
                ex -> ex.respond(200, "application/json", vectors(5, 1)));

        assertThat(embed(List.of("first", "second")).getException()).isNull();
        assertThat(embed("third").getException()).isNull();

        String[] answered = LlmMetricsTest.with(MODEL, RESPONSE_MODEL, "text-embedding-3-small-v2");
        String[] ok = LlmMetricsTest.with(answered, OUTCOME, "ok", ERROR_TYPE, NONE);
        assertThat(counter(REQUESTS, ok)).isEqualTo(2.0);
        assertThat(timer(OPERATION_DURATION, ok).count()).isEqualTo(2);
        assertThat(summary(TOKEN_USAGE, LlmMetricsTest.with(MODEL, TOKEN_TYPE, "input")).totalAmount()).isEqualTo(12.0);
        // no output tokens for an embedding, and nothing counted as chat
        assertThat(summary(TOKEN_USAGE, LlmMetricsTest.with(MODEL, TOKEN_TYPE, "output"))).isNull();
        assertThat(meters.find(REQUESTS).tag(OPERATION, "chat").counters()).isEmpty();
    }

    @Test
    void aFailedEmbeddingIsCountedByItsErrorKindUnderEmbeddings() throws Exception {
        start();
        upstream.then(error(400, "invalid_request_error", "Invalid 'input'"));

        assertThat(embed("text").getException()).isNotNull();

        assertThat(counter(REQUESTS, LlmMetricsTest.with(MODEL, OUTCOME, "error", ERROR_TYPE, "INVALID_REQUEST")))
                .isEqualTo(1.0);
        assertThat(meters.find(REQUESTS).tag(OPERATION, "chat").counters()).isEmpty();
    }

    @Test
    void badInputIsCountedUnderEmbeddingsWithoutReachingTheProvider() throws Exception {
        start();

        assertThat(embed(List.of("text", " ")).getException()).hasMessageContaining("input 1 is empty");

        assertThat(counter(REQUESTS, LlmMetricsTest.with(MODEL, OUTCOME, "error", ERROR_TYPE, "INVALID_REQUEST")))
                .isEqualTo(1.0);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void theRequestLineSaysEmbeddingsAndTheInputTokensAndAChatLineHasNoOperation() throws Exception {
        start();
        upstream.then(ex -> ex.respond(200, "application/json", vectors(9, 1)),
                answer("gpt-4o-mini", "Hi", 4, 2, 0));

        Exchange out = embed("text");
        Exchange chat = template.request("direct:chat", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(chat.getException()).isNull();
        Map<String, String> line = infoLine(out).context();
        assertThat(line).containsEntry("operation", "embeddings").containsEntry("profile", "embed")
                .containsEntry("input_tokens", "9").containsEntry("outcome", "ok")
                .containsEntry("response_model", "text-embedding-3-small-v2");
        assertThat(infoLine(chat).context()).doesNotContainKey("operation");
        assertThat(infoLine(chat).message()).doesNotContain("operation=");
    }

    @Test
    void usageRecordsStayThoseOfChatCalls() throws Exception {
        start();
        upstream.then(ex -> ex.respond(200, "application/json", vectors(3, 1)),
                answer("gpt-4o-mini", "Hi", 4, 2, 0));

        assertThat(embed("text").getException()).isNull();
        assertThat(template.request("direct:chat", e -> e.getMessage().setBody("Hello")).getException()).isNull();

        // the chat call's record arrives; the embedding, sent first, has none
        await().atMost(5, TimeUnit.SECONDS).until(() -> usage.size() == 1);
        assertThat(usage.get(0).getMessage().getBody(UsageRecord.class).profile()).isEqualTo("chat");
    }

    @Test
    void theSemanticCachesPromptEmbeddingIsLoggedUnderTheRequestItServes() throws Exception {
        String embedUri = openAi("embed", "text-embedding-3-small", "operation=embed&maxRetries=0");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cached").to(openAi("chat", "gpt-4o-mini",
                        "maxRetries=0&semanticCache=true&semanticCacheEmbedUri=RAW(" + embedUri + ")"));
            }
        });
        context.start();
        // the prompt's embedding (a miss: nothing cached yet), then the chat answer
        upstream.then(ex -> ex.respond(200, "application/json", vectors(6, 1)), answer("gpt-4o-mini", "Hi", 4, 2, 0));

        Exchange out = template.request("direct:cached", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        List<Map<String, String>> lines = logs.of(RequestLog.LOGGER).stream().filter(l -> l.level() == Level.INFO)
                .map(LogCapture.Line::context).filter(c -> out.getExchangeId().equals(c.get("request_id"))).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(l -> assertThat(l).containsEntry("operation", "embeddings")
                .containsEntry("profile", "embed").containsEntry("input_tokens", "6"));
        assertThat(lines).anySatisfy(l -> assertThat(l).doesNotContainKey("operation").containsEntry("profile", "chat"));
    }

    private LogCapture.Line infoLine(Exchange exchange) {
        List<LogCapture.Line> lines = logs.of(RequestLog.LOGGER).stream()
                .filter(l -> l.level() == Level.INFO && l.message().contains("request_id=\"" + exchange.getExchangeId() + "\""))
                .toList();
        assertThat(lines).as("request lines of " + exchange.getExchangeId()).hasSize(1);
        return lines.get(0);
    }
}
