package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.camelllm.spi.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway in front of Gemini and Azure OpenAI, called by the openai-java SDK through
 * {@code /v1/chat/completions}: plain, streamed, and a tool round trip, against loopback fakes that speak
 * Gemini's and Azure's wire formats. An OpenAI client cannot carry Gemini's thoughtSignature, so the
 * function call goes back with the stand-in Google documents for that case.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeminiAzureGatewayTest {

    private static final String KEY = "gw-gemini-0123456789abcdef";
    private static final String GEMINI_KEY = "gemini-provider-SECRET-31c9";
    private static final String AZURE_KEY = "azure-provider-SECRET-77aa";
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";

    private static WireMockServer upstream;
    private static Main main;
    private static OpenAIClient client;

    @BeforeAll
    static void startGateway() throws Exception {
        upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        int port = GatewayTestSupport.freePort();
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "profiles[gemini].provider", "gemini");
        p.put(llm + "profiles[gemini].base-url", "http://127.0.0.1:" + upstream.port() + "/v1beta");
        p.put(llm + "profiles[gemini].model", "gemini-2.5-flash");
        p.put(llm + "profiles[gemini].api-key", GEMINI_KEY);
        p.put(llm + "profiles[gemini].max-retries", "0");
        p.put(llm + "profiles[azure].provider", "azure-openai");
        p.put(llm + "profiles[azure].base-url", "http://127.0.0.1:" + upstream.port());
        p.put(llm + "profiles[azure].model", "gpt4o-prod");
        p.put(llm + "profiles[azure].api-key", AZURE_KEY);
        p.put(llm + "profiles[azure].max-retries", "0");
        p.put(GatewayConfiguration.PREFIX + "keys.full.key", KEY);
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (client != null) {
            client.close();
        }
        if (main != null) {
            main.stop();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    private static void gemini(String path, String body) {
        upstream.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", path.contains("sse") ? "text/event-stream" : "application/json").withBody(body)));
    }

    @Test
    void aPlainAnswerFromGeminiWithItsUsage() {
        gemini(GENERATE, """
                {"candidates": [{"content": {"parts": [{"text": "Bonjour!"}], "role": "model"}, "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 1200, "candidatesTokenCount": 7, "totalTokenCount": 1251,
                                   "cachedContentTokenCount": 1024, "thoughtsTokenCount": 44},
                 "modelVersion": "gemini-2.5-flash"}
                """);

        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder().model("gemini")
                .addUserMessage("Hello in French").build()).validate();

        assertThat(answer.choices().get(0).message().content()).hasValue("Bonjour!");
        assertThat(answer.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(answer.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isEqualTo(1200);
            assertThat(u.completionTokens()).isEqualTo(51);
            assertThat(u.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(1024L);
            assertThat(u.completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(44L);
        });
        upstream.verify(postRequestedFor(urlEqualTo(GENERATE)).withHeader("x-goog-api-key", equalTo(GEMINI_KEY)));
    }

    @Test
    void aStreamedAnswerFromGemini() {
        gemini(STREAM, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"17 * 24 = \"}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\n"
                + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"408.\"}],\"role\": \"model\"},\"finishReason\": \"STOP\","
                + "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 21,\"candidatesTokenCount\": 8,\"totalTokenCount\": 29}}\r\n\r\n");
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gemini").addUserMessage("17 * 24?").build())) {
            stream.stream().map(ChatCompletionChunk::validate).forEach(accumulator::accumulate);
        }

        assertThat(accumulator.chatCompletion().choices().get(0).message().content()).hasValue("17 * 24 = 408.");
        assertThat(accumulator.chatCompletion().choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void aToolRoundTripThroughGemini() throws Exception {
        gemini(GENERATE, """
                {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                                                         "thoughtSignature": "CallSig/XYZ=="}], "role": "model"},
                                 "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 50, "candidatesTokenCount": 9, "totalTokenCount": 59}}
                """);
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
                .build();
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("gemini")
                .addUserMessage("Weather in Paris?").addFunctionTool(weather);

        ChatCompletion first = client.chat().completions().create(conversation.build()).validate();

        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageToolCall call = choice.message().toolCalls().orElseThrow().get(0);
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");

        upstream.resetAll();
        gemini(GENERATE, """
                {"candidates": [{"content": {"parts": [{"text": "18°C and sunny."}], "role": "model"}, "finishReason": "STOP", "index": 0}]}
                """);
        ChatCompletion second = client.chat().completions().create(conversation.addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id()).content("{\"temp\":18}").build())
                .build()).validate();

        assertThat(second.choices().get(0).message().content()).hasValue("18°C and sunny.");
        JsonNode contents = Json.parse(upstream.findAll(postRequestedFor(urlEqualTo(GENERATE))).get(0).getBodyAsString()).get("contents");
        assertThat(contents.get(1)).isEqualTo(Json.parse("""
                {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                                             "thoughtSignature": "skip_thought_signature_validator"}]}
                """));
        assertThat(contents.get(2)).isEqualTo(Json.parse("""
                {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temp": 18}}}]}
                """));
    }

    @Test
    void aPlainAnswerFromAzure() {
        upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"choices":[{"content_filter_results":{},"finish_reason":"stop","index":0,
                          "message":{"content":"Hello from Azure.","role":"assistant"}}],
                         "created":1733251200,"id":"chatcmpl-AaZ1","model":"gpt-4o-2024-11-20","object":"chat.completion",
                         "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
                         "usage":{"completion_tokens":5,"prompt_tokens":21,"total_tokens":26}}
                        """)));

        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder().model("azure")
                .addUserMessage("Hi").build()).validate();

        assertThat(answer.choices().get(0).message().content()).hasValue("Hello from Azure.");
        upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/chat/completions")).withHeader("api-key", equalTo(AZURE_KEY)));
    }
}
