package dev.camelllm.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * provider=gemini through real routes against a WireMock Gemini API on loopback, with bodies from the
 * API reference: text, usage (thoughts and cached tokens), thinking, function calls and their round trip
 * with every thoughtSignature echoed exactly, finish reasons, a blocked prompt, streaming.
 */
@Timeout(30)
class GeminiRouteTest extends OpenAiTestSupport {

    static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";

    static WireMockServer wm;

    @BeforeAll
    static void startWireMock() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterAll
    static void stopWireMock() {
        wm.stop();
    }

    @BeforeEach
    void resetWireMock() {
        wm.resetAll();
    }

    static String llm(String name, String options) {
        return "llm:" + name + "?maxRetries=0&provider=gemini&baseUrl=http://127.0.0.1:" + wm.port() + "/v1beta&apiKey="
                + KEY + "&model=gemini-2.5-flash" + options;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to(llm("chat", "&systemPrompt=Be brief.&maxTokens=200&temperature=0.2"));
                from("direct:full").to(llm("full", "&fullResponse=true"));
                from("direct:think").to(llm("think", "&fullResponse=true&thinkingBudget=1024"));
                from("direct:stream").to(llm("stream", "&stream=true&thinkingBudget=2048"))
                        .split(body()).streaming().to("mock:tokens");
            }
        };
    }

    private static void answer(String path, String fixture) {
        wm.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", path.contains("alt=sse") ? "text/event-stream" : "application/json")
                .withBody(Fixtures.text("gemini/" + fixture))));
    }

    private static List<JsonNode> sentBodies(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlEqualTo(path)))) {
            out.add(Json.parse(r.getBodyAsString()));
        }
        return out;
    }

    @Test
    void textAnswerWithUsageHeadersAndTheKeyInItsHeaderOnly() throws Exception {
        answer(GENERATE, "chat-text.json");

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Say hello in French"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody()).isEqualTo("Bonjour! How can I help?");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.RAW_FINISH_REASON)).isEqualTo("STOP");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("gemini");
        assertThat(out.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("gemini-2.5-flash");
        // the prompt count includes the cached tokens; thoughts are output
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(1200L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(51L);
        assertThat(out.getMessage().getHeader(LlmConstants.CACHE_READ_TOKENS)).isEqualTo(1024L);
        ChatResponse response = out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.usage().reasoningTokens()).isEqualTo(44);

        LoggedRequest sent = wm.findAll(postRequestedFor(urlEqualTo(GENERATE))).get(0);
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.getUrl()).doesNotContain(KEY).doesNotContain("key=");
        assertThat(Json.parse(sent.getBodyAsString())).isEqualTo(Json.parse("""
                {"systemInstruction": {"parts": [{"text": "Be brief."}]},
                 "contents": [{"role": "user", "parts": [{"text": "Say hello in French"}]}],
                 "generationConfig": {"maxOutputTokens": 200, "temperature": 0.2}}
                """));
    }

    @Test
    void thinkingAndFunctionCallsRoundTripWithTheirSignaturesExactly() throws Exception {
        answer(GENERATE, "chat-thinking-tool-call.json");
        ToolSpec weather = new ToolSpec("get_weather", "Weather of a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"),
                        "additionalProperties", false));
        ToolSpec time = new ToolSpec("get_time", null, Map.of("type", "object"));
        ChatRequest first = ChatRequest.builder().user("Weather and time in Paris?").tools(List.of(weather, time))
                .toolChoice(ToolChoice.AUTO).build();

        ChatResponse called = template.requestBody("direct:think", first, ChatResponse.class);

        assertThat(called.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(called.rawFinishReason()).isEqualTo("STOP");
        assertThat(called.thinking()).startsWith("**Checking the weather**");
        assertThat(called.toolCalls()).hasSize(2);
        ToolCall w = called.toolCalls().get(0);
        assertThat(w.name()).isEqualTo("get_weather");
        assertThat(Json.parse(w.arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(w.signature()).isEqualTo("CiQB0e2Kb3x9SIGNATURE-ONE+/=");
        // in parallel calls only the first carries the signature
        assertThat(called.toolCalls().get(1).signature()).isNull();
        assertThat(w.id()).isNotBlank().isNotEqualTo(called.toolCalls().get(1).id());
        assertThat(called.usage().outputTokens()).isEqualTo(32 + 122);
        assertThat(called.usage().reasoningTokens()).isEqualTo(122);
        assertThat(called.model()).isEqualTo("gemini-3-pro-preview");

        JsonNode firstBody = sentBodies(GENERATE).get(0);
        assertThat(firstBody.path("generationConfig").path("thinkingConfig")).isEqualTo(Json.parse(
                "{\"thinkingBudget\": 1024, \"includeThoughts\": true}"));
        assertThat(firstBody.path("tools").get(0).path("functionDeclarations").get(0)).isEqualTo(Json.parse("""
                {"name": "get_weather", "description": "Weather of a city",
                 "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}},
                                          "required": ["city"], "additionalProperties": false}}
                """));
        assertThat(firstBody.path("toolConfig")).isEqualTo(Json.parse("{\"functionCallingConfig\": {\"mode\": \"AUTO\"}}"));

        // the tool loop's next turn: the model's message as it came, then both results
        wm.resetAll();
        answer(GENERATE, "chat-text-signature.json");
        List<ChatMessage> history = new ArrayList<>(first.messages());
        history.add(called.message());
        history.add(new ChatMessage(Role.TOOL, List.of(
                new ContentPart.ToolResult(w.id(), "{\"temp\": 18, \"sky\": \"sunny\"}", false),
                new ContentPart.ToolResult(called.toolCalls().get(1).id(), "18:05", false))));
        ChatRequest second = first.toBuilder().messages(history).build();

        ChatResponse answered = template.requestBody("direct:think", second, ChatResponse.class);

        assertThat(answered.text()).isEqualTo("It is 18°C and sunny in Paris.");
        assertThat(answered.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode contents = sentBodies(GENERATE).get(0).get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1)).isEqualTo(Json.parse("""
                {"role": "model", "parts": [
                  {"functionCall": {"name": "get_weather", "args": {"city": "Paris", "unit": "celsius"}},
                   "thoughtSignature": "CiQB0e2Kb3x9SIGNATURE-ONE+/="},
                  {"functionCall": {"name": "get_time", "args": {"tz": "Europe/Paris"}}}]}
                """));
        assertThat(contents.get(2)).isEqualTo(Json.parse("""
                {"role": "user", "parts": [
                  {"functionResponse": {"name": "get_weather", "response": {"temp": 18, "sky": "sunny"}}},
                  {"functionResponse": {"name": "get_time", "response": {"result": "18:05"}}}]}
                """));

        // a third turn echoes the text part's signature on that text
        wm.resetAll();
        answer(GENERATE, "chat-text.json");
        history.add(answered.message());
        history.add(ChatMessage.user("Thanks"));
        template.requestBody("direct:think", first.toBuilder().messages(history).build(), ChatResponse.class);
        JsonNode third = sentBodies(GENERATE).get(0).get("contents");
        assertThat(third.get(3)).isEqualTo(Json.parse("""
                {"role": "model", "parts": [{"text": "It is 18°C and sunny in Paris.",
                                             "thoughtSignature": "EjYKNAHR7YpvTEXT-SIGNATURE/+="}]}
                """));
    }

    @Test
    void aFunctionCallFromAnotherModelGetsTheDocumentedStandInSignature() throws Exception {
        answer(GENERATE, "chat-text.json");
        ChatRequest request = ChatRequest.builder().messages(List.of(
                ChatMessage.user("Weather?"),
                new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.ToolUse(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}")))),
                new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1", "rain", true)))))
                .tools(List.of(new ToolSpec("get_weather", null, Map.of("type", "object")))).build();

        template.requestBody("direct:full", request, ChatResponse.class);

        JsonNode contents = sentBodies(GENERATE).get(0).get("contents");
        assertThat(contents.get(1).path("parts").get(0).path("thoughtSignature").asText())
                .isEqualTo(GeminiRequestWriter.UNSIGNED_CALL);
        assertThat(contents.get(2).path("parts").get(0)).isEqualTo(Json.parse(
                "{\"functionResponse\": {\"name\": \"get_weather\", \"response\": {\"error\": \"rain\"}}}"));
    }

    @Test
    void aToolResultForAnUnknownCallIsRefusedBeforeAnyRequest() {
        ChatRequest request = ChatRequest.builder().messages(List.of(ChatMessage.user("Hi"),
                ChatMessage.toolResult("call_nowhere", "42"))).build();

        Exchange out = template.request("direct:full", e -> e.getMessage().setBody(request));

        assertThat(out.getException()).isInstanceOf(dev.camelllm.api.LlmInvalidRequestException.class)
                .hasMessageContaining("call_nowhere");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void finishReasonsAndABlockedPrompt() {
        Object[][] cases = {
                {"chat-max-tokens.json", FinishReason.LENGTH, "MAX_TOKENS", "Once upon a"},
                {"chat-safety.json", FinishReason.CONTENT_FILTER, "SAFETY", "I can"},
                {"chat-prompt-blocked.json", FinishReason.CONTENT_FILTER, "PROHIBITED_CONTENT", ""},
        };
        for (Object[] c : cases) {
            wm.resetAll();
            answer(GENERATE, (String) c[0]);

            ChatResponse r = template.requestBody("direct:full", "Hi", ChatResponse.class);

            assertThat(r.finishReason()).as((String) c[0]).isEqualTo(c[1]);
            assertThat(r.rawFinishReason()).isEqualTo(c[2]);
            assertThat(r.text()).isEqualTo(c[3]);
        }
    }

    @Test
    void finishReasonMapping() {
        assertThat(GeminiChunks.finishReason("RECITATION", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(GeminiChunks.finishReason("BLOCKLIST", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(GeminiChunks.finishReason("SPII", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(GeminiChunks.finishReason("PROHIBITED_CONTENT", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(GeminiChunks.finishReason("MALFORMED_FUNCTION_CALL", false)).isEqualTo(FinishReason.ERROR);
        assertThat(GeminiChunks.finishReason("STOP", true)).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void streamedThinkingTextAndTheClosingSignature() throws Exception {
        answer(STREAM, "stream-thinking.sse");
        getMockEndpoint("mock:tokens").expectedMessageCount(2);

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("17 * 24?"));

        assertThat(out.getException()).isNull();
        getMockEndpoint("mock:tokens").assertIsSatisfied();
        assertThat(getMockEndpoint("mock:tokens").getExchanges().stream().map(x -> x.getMessage().getBody(String.class)))
                .containsExactly("17 * 24 = ", "408.");
        ChatResponse response = out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.text()).isEqualTo("17 * 24 = 408.");
        assertThat(response.thinking()).isEqualTo("**Planning**\nFirst work out 17 * 24.");
        assertThat(response.message().partsOf(ContentPart.Thinking.class).get(0).signature()).isEqualTo("StreamSig/abc+==");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage().inputTokens()).isEqualTo(21);
        assertThat(response.usage().outputTokens()).isEqualTo(72);
        assertThat(response.usage().reasoningTokens()).isEqualTo(64);
        wm.verify(postRequestedFor(urlEqualTo(STREAM)).withHeader("x-goog-api-key", equalTo(KEY))
                .withHeader("Authorization", absent()));
        awaitNoLeasedConnections();
    }

    @Test
    void aStreamedFunctionCallKeepsItsSignature() throws Exception {
        answer(STREAM, "stream-tool-call.sse");
        ToolSpec weather = new ToolSpec("get_weather", null, Map.of("type", "object"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody(
                ChatRequest.builder().user("Weather in Paris?").tools(List.of(weather)).toolChoice(ToolChoice.tool("get_weather")).build()));

        assertThat(out.getException()).isNull();
        ChatResponse response = out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.signature()).isEqualTo("CallSig/XYZ==");
        });
        assertThat(sentBodies(STREAM).get(0).path("toolConfig")).isEqualTo(Json.parse(
                "{\"functionCallingConfig\": {\"mode\": \"ANY\", \"allowedFunctionNames\": [\"get_weather\"]}}"));
        awaitNoLeasedConnections();
    }

    @Test
    void aJsonSchemaResponseFormatBecomesResponseMimeTypeAndSchema() throws Exception {
        answer(GENERATE, "chat-json.json");
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")));

        ChatResponse answer = template.requestBody("direct:full", ChatRequest.builder().user("City?")
                .responseFormat(ResponseFormat.jsonSchema("city", schema)).build(), ChatResponse.class);

        assertThat(Json.parse(answer.text())).isEqualTo(Json.parse("{\"city\": \"Paris\"}"));
        assertThat(sentBodies(GENERATE).get(0).path("generationConfig")).isEqualTo(Json.parse("""
                {"responseMimeType": "application/json",
                 "responseJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}}}}
                """));
    }
}
