package dev.camelllm.observability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmConstants;

import static dev.camelllm.observability.LlmMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The CamelLlmCost header and the llm.cost meter from the price table, and budgets that refuse calls. */
@Timeout(20)
class CostAndBudgetTest extends ObservabilityTestSupport {

    @BeforeEach
    void prices() {
        llm().getPrices().put("gpt-4o-mini", new ModelPrice(0.15, 0.6, 0.075, null));
        llm().getPrices().put("claude-sonnet-4-5", new ModelPrice(3, 15, 0.3, 3.75));
    }

    private void route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        context.start();
    }

    private Exchange send() {
        return template.request("direct:in", e -> e.getMessage().setBody("Hello"));
    }

    private static String fixture(String path) throws IOException {
        try (InputStream in = CostAndBudgetTest.class.getResourceAsStream("/fixtures/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void openAiCostIsThePriceTimesTheUsage() throws Exception {
        route(openAi("chat", "gpt-4o-mini", null));
        // 19 prompt tokens of which 4 cached, 10 completion tokens; the answering model is a dated snapshot
        String body = fixture("openai/chat-text.json");
        upstream.then(ex -> ex.respond(200, "application/json", body));

        Exchange out = send();

        assertThat(out.getException()).isNull();
        // (15 x 0.15 + 4 x 0.075 + 10 x 0.6) / 1e6: cached tokens are part of OpenAI's prompt_tokens
        assertThat(out.getMessage().getHeader(LlmConstants.COST)).isEqualTo(0.00000855);
        assertThat(counter(COST, PROFILE, "chat", RESPONSE_MODEL, "gpt-4o-mini-2024-07-18")).isEqualTo(0.00000855);
    }

    @Test
    void anthropicCostIsThePriceTimesTheUsage() throws Exception {
        route("llm:claude?provider=anthropic&maxRetries=0&model=claude-sonnet-4-5&apiKey=" + KEY + "&baseUrl="
                + upstream.baseUrl());
        // 12 input, 9 output, 100 cache-read and 5 cache-write tokens, each counted apart
        String body = fixture("anthropic/response-text.json");
        upstream.then(ex -> ex.respond(200, "application/json", body));

        Exchange out = send();

        assertThat(out.getException()).isNull();
        assertThat(upstream.requests().get(0).path()).isEqualTo("/v1/messages");
        // (12 x 3 + 9 x 15 + 100 x 0.3 + 5 x 3.75) / 1e6
        assertThat(out.getMessage().getHeader(LlmConstants.COST)).isEqualTo(0.00021975);
        assertThat(summary(TOKEN_USAGE, PROVIDER, "anthropic", TOKEN_TYPE, "cache_write").totalAmount()).isEqualTo(5.0);
        assertThat(summary(TOKEN_USAGE, PROVIDER, "anthropic", TOKEN_TYPE, "cache_read").totalAmount()).isEqualTo(100.0);
    }

    @Test
    void aModelWithoutAPriceHasNoCost() throws Exception {
        route(openAi("chat", "gpt-4.1", null));
        upstream.then(answer("gpt-4.1-2025-04-14", "ok", 5, 2, 0));

        Exchange out = send();

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeaders()).doesNotContainKey(LlmConstants.COST);
        assertThat(meters.find(COST).counters()).isEmpty();
    }

    @Test
    void aSpentBudgetRefusesTheNextCallWithoutCallingTheProvider() throws Exception {
        route(openAi("capped", "gpt-4o-mini", "maxRetries=0&budget=0.000005&budgetPeriod=total"));
        upstream.then(answer("gpt-4o-mini", "ok", 15, 10, 0));

        Exchange first = send();
        assertThat(first.getException()).isNull();
        double firstCost = (15 * 0.15 + 10 * 0.6) / 1e6;
        assertThat(first.getMessage().getHeader(LlmConstants.COST, Double.class)).isCloseTo(firstCost,
                org.assertj.core.data.Offset.offset(1e-15));

        Exchange refused = send();

        assertThat(refused.getException()).isInstanceOf(LlmBudgetExceededException.class)
                .hasMessageContaining("budget of profile 'capped' is spent");
        LlmBudgetExceededException e = (LlmBudgetExceededException) refused.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA);
        assertThat(e.profile()).isEqualTo("capped");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(counter(BUDGET_REJECTIONS, PROFILE, "capped")).isEqualTo(1.0);
        assertThat(counter(REQUESTS, PROFILE, "capped", OUTCOME, "error", ERROR_TYPE, "QUOTA")).isEqualTo(1.0);
        assertThat(meters.find(BUDGET_SPENT).tags(PROFILE, "capped").gauge().value()).isCloseTo(firstCost,
                org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void aZeroBudgetNeverCallsTheProvider() throws Exception {
        route(openAi("none", "gpt-4o-mini", "maxRetries=0&budget=0"));

        Exchange refused = send();

        assertThat(refused.getException()).isInstanceOf(LlmBudgetExceededException.class);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aSpentBudgetFallsBackToAnotherProfile() throws Exception {
        LlmConfiguration backup = new LlmConfiguration();
        backup.setProvider("openai");
        backup.setBaseUrl(upstream.baseUrl() + "/v1");
        backup.setApiKey(KEY);
        backup.setModel("gpt-4o-mini");
        llm().getProfiles().put("backup", backup);
        route(openAi("capped", "gpt-4o", "maxRetries=0&budget=0&fallbacks=backup"));
        upstream.then(answer("gpt-4o-mini", "from backup", 5, 2, 0));

        Exchange out = send();

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("from backup");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(upstream.requests().get(0).body()).contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void aNegativeBudgetFailsAtRouteStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> route(openAi("bad", "gpt-4o-mini", "budget=-1")))
                .hasStackTraceContaining("option 'budget'");
    }
}
