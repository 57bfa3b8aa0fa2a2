package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import dev.camelllm.spi.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Structured output through the gateway: an OpenAI SDK client's response_format (derived by the SDK from a
 * class) reaches an Anthropic upstream as output_config.format and the answer comes back typed; an invalid
 * upstream answer is re-asked by the gateway; one that stays invalid is a 502 invalid_output; and an
 * Anthropic client's output_config.format reaches an OpenAI upstream as a json_schema response_format.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StructuredOutputGatewayTest extends GatewayTestSupport {

    /** What the SDK derives the schema from and reads the answer into. */
    public static class Invoice {
        public String number;
        public double total;
        public String currency;
    }

    private static final String INVOICE = "{\"number\":\"INV-2041\",\"total\":1249.5,\"currency\":\"EUR\"}";

    private static OpenAIClient client;

    @BeforeAll
    static void startClient() {
        client = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(FULL_KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static StructuredChatCompletionCreateParams<Invoice> extract() {
        return ChatCompletionCreateParams.builder().model("claude-up")
                .addUserMessage("Invoice INV-2041, total due EUR 1,249.50.")
                .responseFormat(Invoice.class).build();
    }

    private static String anthropicText(String id, String text) {
        return Json.write(Json.object().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", "claude-upstream-1")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("content", Json.MAPPER.createArrayNode()
                        .add(Json.object().put("type", "text").put("text", text)))
                .put("stop_reason", "end_turn").putNull("stop_sequence")
                .set("usage", Json.object().put("input_tokens", 40).put("output_tokens", 18)));
    }

    /** The upstream answers these bodies in turn (the last one again for every later request). */
    private static void anthropicAnswers(String... texts) {
        for (int i = 0; i < texts.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "answer-" + i;
            anthropicUpstream.stubFor(WireMock.post(urlEqualTo("/v1/messages")).inScenario("answers")
                    .whenScenarioStateIs(state)
                    .willSetStateTo(i + 1 < texts.length ? "answer-" + (i + 1) : state)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(anthropicText("msg_0" + i, texts[i]))));
        }
    }

    private static List<JsonNode> anthropicRequests() {
        // WireMock lists the newest first
        List<JsonNode> out = new java.util.ArrayList<>(anthropicUpstream.getAllServeEvents().stream()
                .map(e -> parse(e.getRequest().getBodyAsString())).toList());
        java.util.Collections.reverse(out);
        return out;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOpenAiClientsSchemaReachesAnAnthropicUpstreamAndTheAnswerComesBackTyped() {
        anthropicAnswers(INVOICE);

        StructuredChatCompletion<Invoice> completion = client.chat().completions().create(extract());

        Invoice invoice = completion.choices().get(0).message().content().orElseThrow();
        assertThat(invoice.number).isEqualTo("INV-2041");
        assertThat(invoice.total).isEqualTo(1249.5);
        assertThat(invoice.currency).isEqualTo("EUR");
        List<JsonNode> sent = anthropicRequests();
        assertThat(sent).hasSize(1);
        JsonNode format = sent.get(0).get("output_config").get("format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.get("schema").get("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("number", "total", "currency");
        assertThat(sent.get(0).has("response_format")).isFalse();
    }

    @Test
    void anInvalidUpstreamAnswerIsReaskedByTheGateway() {
        anthropicAnswers("Here is the invoice: INV-2041 for 1249.50 EUR", INVOICE);

        Invoice invoice = client.chat().completions().create(extract()).choices().get(0).message().content().orElseThrow();

        assertThat(invoice.number).isEqualTo("INV-2041");
        List<JsonNode> sent = anthropicRequests();
        assertThat(sent).hasSize(2);
        JsonNode messages = sent.get(1).get("messages");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).get("content").get(0).get("text").asText()).contains("not a single JSON document");
    }

    @Test
    void anAnswerThatStaysInvalidIsABadGatewayNamedInvalidOutput() {
        anthropicAnswers("{\"number\":\"INV-2041\"}");

        OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class,
                () -> client.chat().completions().create(extract()));

        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).hasValue("invalid_output");
        assertThat(e.getMessage()).contains("INVALID_OUTPUT").contains("currency").doesNotContain(ANTHROPIC_PROVIDER_KEY);
        // the first answer and the two re-asks of the default structuredOutputRetries
        assertThat(anthropicRequests()).hasSize(3);
    }

    @Test
    void anAnthropicClientsOutputConfigReachesAnOpenAiUpstreamAsResponseFormat() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-9","object":"chat.completion","created":1737521813,"model":"gpt-upstream-1",
                         "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30}}
                        """.formatted(Json.write(INVOICE)))));
        String body = """
                {"model":"gpt-up","max_tokens":200,
                 "messages":[{"role":"user","content":"Invoice INV-2041, total due EUR 1,249.50."}],
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object",
                   "properties":{"number":{"type":"string"},"total":{"type":"number"},"currency":{"type":"string"}},
                   "required":["number","total","currency"],"additionalProperties":false}}}}
                """;

        var response = post("/v1/messages", FULL_KEY, body, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = parse(response.body());
        assertThat(parse(answer.get("content").get(0).get("text").asText())).isEqualTo(parse(INVOICE));
        JsonNode sent = parse(openAiUpstream.getAllServeEvents().get(0).getRequest().getBodyAsString());
        JsonNode format = sent.get("response_format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("schema").get("required")).hasSize(3);
    }

    @Test
    void aClientSchemaThatIsNotJsonSchemaIsA400BeforeAnyUpstreamCall() throws Exception {
        String body = """
                {"model":"claude-up","messages":[{"role":"user","content":"Hi"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":5}}}}
                """;

        var response = post("/v1/chat/completions", FULL_KEY, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Invalid response format").contains("not a valid JSON schema");
        assertThat(anthropicUpstream.getAllServeEvents()).isEmpty();
    }
}
