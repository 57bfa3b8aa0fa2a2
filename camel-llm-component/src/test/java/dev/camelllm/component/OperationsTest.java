package dev.camelllm.component;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operation option: complete, stream, analyze and healthCheck, on the tiny local model and an OpenAI-format fake. */
@Timeout(60)
class OperationsTest extends CamelTestSupport {

    private static final String KEY = "sk-operations-0000000000";
    static ScriptedHttpServer fake;

    @BeforeAll
    static void startFake() throws Exception {
        fake = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopFake() throws Exception {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String local = "llm:local?provider=onnx&device=cpu&intraOpThreads=1&enableThinking=false&modelPath="
                + URLEncoder.encode(ToolLoopTest.tinyModel().toString(), StandardCharsets.UTF_8);
        String cloud = "llm:cloud?provider=openai&model=gpt-4o-mini&apiKey=" + KEY + "&maxRetries=0&baseUrl=" + fake.baseUrl() + "/v1";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:complete").to(local + "&operation=complete");
                from("direct:stream").to(local + "&operation=stream")
                        .split(body()).streaming().to("mock:token").end();
                from("direct:health-local").to(local + "&operation=healthCheck");
                from("direct:analyze").to(cloud + "&operation=analyze&instruction=Summarise in one sentence.");
                from("direct:analyze-no-instruction").to(cloud + "&operation=analyze");
                from("direct:health-cloud").to(cloud + "&operation=healthCheck");
                from("direct:count-local").to(local + "&operation=countTokens");
                from("direct:count-cloud").to(cloud + "&operation=countTokens");
            }
        };
    }

    private static String answer(String text) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";
    }

    @Test
    void completeAnswersAPromptWithText() {
        assertThat(template.requestBody("direct:complete", "Hello", String.class)).isEqualTo("Hello! How can I help you today?");
    }

    @Test
    void streamAlwaysStreams() throws Exception {
        template.sendBody("direct:stream", "Count to ten");
        List<String> tokens = getMockEndpoint("mock:token").getExchanges().stream()
                .map(e -> e.getMessage().getBody(String.class)).toList();
        assertThat(tokens).hasSizeGreaterThan(5);
        assertThat(String.join("", tokens)).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
    }

    @Test
    void analyzeSendsInstructionThenContent() throws Exception {
        fake.then(ex -> ex.respond(200, "application/json", answer("A customer was billed twice.")),
                ex -> ex.respond(200, "application/json", answer("negative")));

        String summary = template.requestBody("direct:analyze", "I was charged twice this month.", String.class);
        Exchange sentiment = template.request("direct:analyze", e -> {
            e.getMessage().setBody("I was charged twice this month.");
            e.getMessage().setHeader(LlmConstants.INSTRUCTION, "Answer with the sentiment.");
        });

        assertThat(summary).isEqualTo("A customer was billed twice.");
        assertThat(sentiment.getMessage().getBody(String.class)).isEqualTo("negative");
        String first = Json.parse(fake.requests().get(0).body()).get("messages").get(0).get("content").asText();
        assertThat(first).isEqualTo("Summarise in one sentence.\n\nI was charged twice this month.");
        String second = Json.parse(fake.requests().get(1).body()).get("messages").get(0).get("content").asText();
        assertThat(second).isEqualTo("Answer with the sentiment.\n\nI was charged twice this month.");
    }

    @Test
    void analyzeWithoutInstructionFailsBeforeAnyCall() {
        Exchange out = template.request("direct:analyze-no-instruction", e -> e.getMessage().setBody("Some text"));
        assertThat(out.getException()).isInstanceOf(LlmInvalidRequestException.class).hasMessageContaining("instruction");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void countTokensOfTheLocalModelIsItsTokenizersCountOfTheRenderedPrompt() {
        Exchange out = template.request("direct:count-local", e -> e.getMessage().setBody("Hello"));

        // expected.json's prompt_ids of the case "hello", made by Hugging Face's apply_chat_template
        assertThat(out.getMessage().getBody()).isEqualTo(13L);
        assertThat(out.getMessage().getHeader(LlmConstants.TOKEN_COUNT_EXACT)).isEqualTo(true);
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(13L);
    }

    @Test
    void countTokensOfACloudModelIsAnEstimateWithoutACall() {
        Exchange out = template.request("direct:count-cloud", e -> e.getMessage().setBody("Hello world, how are you?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody()).isEqualTo(7L); // 25 characters, about four a token
        assertThat(out.getMessage().getHeader(LlmConstants.TOKEN_COUNT_EXACT)).isEqualTo(false);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void healthCheckOfTheLocalModelIsUp() {
        Map<?, ?> health = template.requestBody("direct:health-local", null, Map.class);
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(health.get("provider")).isEqualTo("onnx");
        assertThat(health.get("model")).isEqualTo("tiny-chat");
    }

    @Test
    void healthCheckOfAFailingProviderIsDownWithoutTheKey() {
        fake.then(ex -> ex.respond(503, "application/json",
                "{\"error\":{\"message\":\"overloaded, key " + KEY + "\",\"type\":\"server_error\"}}"));

        Map<?, ?> health = template.requestBody("direct:health-cloud", null, Map.class);

        assertThat(health.get("status")).isEqualTo("DOWN");
        assertThat(health.get("provider")).isEqualTo("openai");
        assertThat((String) health.get("error")).contains("overloaded").doesNotContain(KEY);
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.requests().get(0).body()).contains("\"max_completion_tokens\":1");
    }

    @Test
    void healthCheckOfAHealthyProviderIsUp() {
        fake.then(ex -> ex.respond(200, "application/json", answer("p")));
        Map<?, ?> health = template.requestBody("direct:health-cloud", null, Map.class);
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(health.get("model")).isEqualTo("gpt-4o-mini");
    }

    @Test
    void anUnknownOperationFailsAtStart() {
        assertThatThrownBy(() -> context.getEndpoint("llm:x?provider=openai&model=m&apiKey=" + KEY + "&operation=summon").start())
                .hasRootCauseInstanceOf(LlmConfigurationException.class).rootCause().hasMessageContaining("operation");
    }
}
