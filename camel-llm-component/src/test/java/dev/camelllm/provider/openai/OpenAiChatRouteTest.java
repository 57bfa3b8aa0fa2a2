package dev.camelllm.provider.openai;

import java.util.List;

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

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolCall;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Blocking calls through a real route against a WireMock OpenAI on loopback. */
@Timeout(30)
class OpenAiChatRouteTest extends OpenAiTestSupport {

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

    static String base() {
        return "http://127.0.0.1:" + wm.port() + "/v1";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat")
                        .to("llm:chat?maxRetries=0&provider=openai&baseUrl=" + base() + "&apiKey=" + KEY
                            + "&model=gpt-4o-mini&maxTokens=100&temperature=0.3&systemPrompt=Be brief.");
                from("direct:full")
                        .to("llm:full?maxRetries=0&provider=openai&baseUrl=" + base() + "&apiKey=" + KEY
                            + "&model=gpt-4o&fullResponse=true");
                from("direct:proxy")
                        .to("llm:proxy?maxRetries=0&provider=openai&baseUrl=" + base() + "&model=gpt-4o-mini");
            }
        };
    }

    private static void answer(String fixture) {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture(fixture))));
    }

    @Test
    void textAnswerWithHeaders() throws Exception {
        answer("chat-text.json");

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Say hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody()).isEqualTo("Hello! How can I assist you today?");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.RAW_FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(19L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(10L);
        assertThat(out.getMessage().getHeader(LlmConstants.CACHE_READ_TOKENS)).isEqualTo(4L);
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai");
        // the model that answered, as the response names it
        assertThat(out.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("gpt-4o-mini-2024-07-18");

        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = Json.parse(requests.get(0).getBodyAsString());
        assertThat(body).isEqualTo(Json.parse("""
                {"model": "gpt-4o-mini",
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello"}],
                 "temperature": 0.3, "max_completion_tokens": 100}
                """));
    }

    @Test
    void toolCallsBecomeToolUseParts() {
        answer("chat-tool-calls.json");

        ChatResponse response = template.requestBody("direct:full", "Weather in Boston, and the time?", ChatResponse.class);

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.rawFinishReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"),
                // a tool without arguments gets "{}", never ""
                new ToolCall("call_def456", "get_time", "{}"));
        assertThat(response.text()).isEmpty();
        assertThat(response.usage().inputTokens()).isEqualTo(82);
        assertThat(response.usage().outputTokens()).isEqualTo(17);
        assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void lengthFinish() {
        answer("chat-length.json");

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Tell a story"));

        assertThat(out.getMessage().getBody()).isEqualTo("Once upon a");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("length");
    }

    @Test
    void aCustomBaseUrlWithoutKeyIsAProxyAndGetsNoAuthorization() {
        answer("chat-text.json");

        String text = template.requestBody("direct:proxy", "Say hello", String.class);

        assertThat(text).isEqualTo("Hello! How can I assist you today?");
        wm.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", absent()));
    }

    @Test
    void requestHeadersOverrideOptions() throws Exception {
        answer("chat-text.json");

        template.request("direct:chat", e -> {
            e.getMessage().setBody("Hi");
            e.getMessage().setHeader(LlmConstants.MODEL, "gpt-4.1");
            e.getMessage().setHeader(LlmConstants.MAX_TOKENS, 7);
        });

        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4.1");
        assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(7);
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Content-Type", equalTo("application/json; charset=UTF-8")));
    }
}
