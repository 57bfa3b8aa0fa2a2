package dev.camelllm.component;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool loop (toolEndpointPrefix): tools are Camel routes. On the real tiny local model the whole
 * loop gives the model's known answer; against an OpenAI-format fake the second request carries the
 * assistant's tool_calls and the route's result, and against an Anthropic-format fake the thinking blocks
 * with their signatures; a failing tool route becomes an error result; a model that never stops calling tools fails after
 * maxToolRounds.
 */
@Timeout(60)
class ToolLoopTest extends CamelTestSupport {

    /** expected.json case tool_call's tools, exactly. */
    static final String WEATHER_TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Get the current weather in a city\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city name\"}},\"required\":[\"city\"]}}}]";
    private static final String KEY = "sk-tool-loop-0000000000";

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

    static Path tinyModel() {
        return Path.of(System.getProperty("camel.llm.repoRoot", ".."), "models", "tiny-chat").toAbsolutePath().normalize();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:local")
                        .to("llm:local?provider=onnx&device=cpu&intraOpThreads=1&enableThinking=false&modelPath="
                                + enc(tinyModel().toString()) + "&tools=RAW(" + WEATHER_TOOLS + ")&toolEndpointPrefix=direct:tool-");
                from("direct:tool-get_weather")
                        .to("mock:weather")
                        .setBody(constant("18°C and sunny"));
                from("direct:tool-fails")
                        .throwException(new IllegalStateException("weather service down"));

                String openai = "llm:cloud?provider=openai&model=gpt-4o-mini&apiKey=" + KEY + "&maxRetries=0&baseUrl="
                        + fake.baseUrl() + "/v1&toolEndpointPrefix=direct:tool-";
                from("direct:openai").to(openai + "&tools=RAW(" + WEATHER_TOOLS + ")");
                from("direct:openai-two-rounds").to(openai + "&maxToolRounds=2&tools=RAW(" + WEATHER_TOOLS + ")");
                from("direct:openai-stream").to(openai + "&stream=true");
                from("direct:anthropic").to("llm:claude?provider=anthropic&model=claude-sonnet-4-5&apiKey=" + KEY
                        + "&maxRetries=0&thinkingBudget=2048&maxTokens=4096&baseUrl=" + fake.baseUrl()
                        + "&toolEndpointPrefix=direct:tool-&tools=RAW(" + WEATHER_TOOLS + ")");
            }
        };
    }

    @Test
    void tinyModelCallsTheRouteAndAnswers() throws Exception {
        getMockEndpoint("mock:weather").expectedBodiesReceived("{\"city\":\"Paris\"}");
        getMockEndpoint("mock:weather").expectedHeaderReceived(LlmConstants.TOOL_NAME, "get_weather");

        Exchange out = template.request("direct:local", e -> e.getMessage().setBody("What is the weather in Paris?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("It is 18°C and sunny in Paris.");
        assertThat(out.getMessage().getHeader(LlmConstants.TOOL_ROUNDS)).isEqualTo(1);
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        getMockEndpoint("mock:weather").assertIsSatisfied(5000);
        String id = getMockEndpoint("mock:weather").getExchanges().get(0).getMessage().getHeader(LlmConstants.TOOL_CALL_ID, String.class);
        assertThat(id).isNotBlank();
    }

    private static String toolCallAnswer(String id, String tool, String args) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"" + tool + "\",\"arguments\":" + Json.write(args) + "}}]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}";
    }

    private static String textAnswer(String text) {
        return "{\"id\":\"c2\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7,\"total_tokens\":27}}";
    }

    @Test
    void secondRequestCarriesToolCallsAndResults() throws Exception {
        fake.then(ex -> ex.respond(200, "application/json", toolCallAnswer("call_abc", "get_weather", "{\"city\":\"Paris\"}")),
                ex -> ex.respond(200, "application/json", textAnswer("It is 18°C and sunny in Paris.")));

        Exchange out = template.request("direct:openai", e -> e.getMessage().setBody("What is the weather in Paris?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("It is 18°C and sunny in Paris.");
        assertThat(out.getMessage().getHeader(LlmConstants.TOOL_ROUNDS)).isEqualTo(1);
        // usage over both rounds
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(30L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(12L);

        List<ScriptedHttpServer.Request> requests = fake.requests();
        assertThat(requests).hasSize(2);
        JsonNode messages = Json.parse(requests.get(1).body()).get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).get("content").asText()).isEqualTo("What is the weather in Paris?");
        JsonNode assistant = messages.get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        JsonNode call = assistant.get("tool_calls").get(0);
        assertThat(call.get("id").asText()).isEqualTo("call_abc");
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(call.get("function").get("arguments").asText()).get("city").asText()).isEqualTo("Paris");
        JsonNode tool = messages.get(2);
        assertThat(tool.get("role").asText()).isEqualTo("tool");
        assertThat(tool.get("tool_call_id").asText()).isEqualTo("call_abc");
        assertThat(tool.get("content").asText()).isEqualTo("18°C and sunny");
        assertThat(Json.parse(requests.get(1).body()).get("tools").get(0).get("function").get("name").asText())
                .isEqualTo("get_weather");
    }

    private static String fixture(String path) {
        try (java.io.InputStream in = ToolLoopTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Anthropic requires the thinking blocks back unchanged, signature included, in the next turn of a tool loop. */
    @Test
    void thinkingWithItsSignatureGoesBackInTheNextRound() throws Exception {
        fake.then(ex -> ex.respond(200, "application/json", fixture("/fixtures/anthropic/response-tool-thinking.json")),
                ex -> ex.respond(200, "application/json", fixture("/fixtures/anthropic/response-final.json")));

        Exchange out = template.request("direct:anthropic", e -> e.getMessage().setBody("What is the weather in Paris?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("It is 18 degrees and sunny in Paris.");
        assertThat(out.getMessage().getHeader(LlmConstants.TOOL_ROUNDS)).isEqualTo(1);
        JsonNode messages = Json.parse(fake.requests().get(1).body()).get("messages");
        assertThat(messages).hasSize(3);
        JsonNode blocks = messages.get(1).get("content");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("thinking");
        assertThat(blocks.get(0).get("signature").asText()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("redacted_thinking");
        JsonNode toolUse = blocks.get(blocks.size() - 1);
        assertThat(toolUse.get("type").asText()).isEqualTo("tool_use");
        JsonNode result = messages.get(2).get("content").get(0);
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.get("tool_use_id").asText()).isEqualTo(toolUse.get("id").asText());
        assertThat(result.get("content").asText()).isEqualTo("18°C and sunny");
    }

    @Test
    void aFailingToolRouteBecomesAnErrorResultForTheModel() throws Exception {
        fake.then(ex -> ex.respond(200, "application/json", toolCallAnswer("call_f", "fails", "{}")),
                ex -> ex.respond(200, "application/json", textAnswer("Sorry, no weather today.")));

        Exchange out = template.request("direct:openai", e -> e.getMessage().setBody("Weather?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Sorry, no weather today.");
        JsonNode tool = Json.parse(fake.requests().get(1).body()).get("messages").get(2);
        assertThat(tool.get("tool_call_id").asText()).isEqualTo("call_f");
        assertThat(tool.get("content").asText()).contains("weather service down");
    }

    @Test
    void maxToolRoundsExceededFailsClearly() throws Exception {
        for (int i = 0; i < 3; i++) {
            String id = "call_" + i;
            fake.then(ex -> ex.respond(200, "application/json", toolCallAnswer(id, "get_weather", "{\"city\":\"Paris\"}")));
        }

        Exchange out = template.request("direct:openai-two-rounds", e -> e.getMessage().setBody("Weather forever?"));

        assertThat(out.getException()).isInstanceOf(LlmException.class)
                .hasMessageContaining("maxToolRounds=2").hasMessageContaining("get_weather");
        // the first answer and one per round of tool results: no fourth call
        assertThat(fake.requests()).hasSize(3);
        assertThat(Json.parse(fake.requests().get(2).body()).get("messages")).hasSize(5);
    }

    @Test
    void streamingWithToolLoopIsRefused() {
        Exchange out = template.request("direct:openai-stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isInstanceOf(LlmInvalidRequestException.class)
                .hasMessageContaining("toolEndpointPrefix");
        assertThat(fake.requests()).isEmpty();
    }
}
