package dev.camelllm.provider.anthropic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.camelllm.provider.anthropic.AnthropicFixtures.llmCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The anthropic provider through real llm: routes against a WireMock upstream on 127.0.0.1: blocking calls. */
@Timeout(30)
class AnthropicRouteTest extends CamelTestSupport {

    static final String KEY = "camel-test-key-7f3a9c2e5b41";
    private static final String PATH = "/v1/messages";
    private static WireMockServer wm;

    private final Map<String, String> env = new ConcurrentHashMap<>();

    @BeforeAll
    static void startUpstream() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterAll
    static void stopUpstream() {
        wm.stop();
    }

    @BeforeEach
    void resetUpstream() {
        wm.resetAll();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    private static String endpointOptions(String more) {
        return "provider=anthropic&baseUrl=" + wm.baseUrl() + "&apiKey=RAW(" + KEY + ")&model=claude-sonnet-4-5&timeout=5000"
                + more;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to("llm:chat?maxRetries=0&" + endpointOptions(""));
                from("direct:tools").to("llm:tools?maxRetries=0&" + endpointOptions("&thinkingBudget=2048&maxTokens=4096&fullResponse=true"));
                from("direct:proxy").to("llm:proxy?maxRetries=0&provider=anthropic&baseUrl=" + wm.baseUrl()
                        + "&model=claude-haiku-4-5&anthropicVersion=2023-01-01&timeout=5000");
            }
        };
    }

    private Exchange send(String uri, Object body, Map<String, Object> headers) {
        return template.send(uri, ex -> {
            ex.getIn().setBody(body);
            ex.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    private List<LoggedRequest> requests() {
        return wm.findAll(postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void nonStreamingTextWithHeaders() throws Exception {
        wm.stubFor(post(PATH).willReturn(okJson(AnthropicFixtures.read("response-text.json"))));

        Exchange ex = send("direct:chat", "Hello there", Map.of());

        assertThat(ex.getException()).isNull();
        assertThat(ex.getMessage().getBody(String.class)).isEqualTo("Hello! How can I help you today?");
        assertThat(ex.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(ex.getMessage().getHeader(LlmConstants.RAW_FINISH_REASON)).isEqualTo("end_turn");
        assertThat(ex.getMessage().getHeader(LlmConstants.INPUT_TOKENS, Long.class)).isEqualTo(12L);
        assertThat(ex.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS, Long.class)).isEqualTo(9L);
        assertThat(ex.getMessage().getHeader(LlmConstants.CACHE_READ_TOKENS, Long.class)).isEqualTo(100L);
        assertThat(ex.getMessage().getHeader(LlmConstants.CACHE_WRITE_TOKENS, Long.class)).isEqualTo(5L);
        assertThat(ex.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("anthropic");
        assertThat(ex.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("claude-sonnet-4-5-20250929");

        List<LoggedRequest> sent = requests();
        assertThat(sent).hasSize(1);
        LoggedRequest r = sent.get(0);
        assertThat(r.getHeader("x-api-key")).isEqualTo(KEY);
        assertThat(r.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = Json.parse(r.getBodyAsString());
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.get("messages").get(0).get("content").get(0).get("text").asText()).isEqualTo("Hello there");
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void customBaseUrlWithoutKeySendsNoKeyHeader() {
        wm.stubFor(post(PATH).willReturn(okJson(AnthropicFixtures.read("response-text.json"))));

        Exchange ex = send("direct:proxy", "Hi", Map.of());

        assertThat(ex.getException()).isNull();
        LoggedRequest r = requests().get(0);
        assertThat(r.containsHeader("x-api-key")).isFalse();
        assertThat(r.getHeader("anthropic-version")).isEqualTo("2023-01-01");
    }

    static List<Arguments> errors() {
        List<Arguments> cases = List.of(
                Arguments.of(400, "invalid_request_error", "messages.0: roles must alternate", ErrorKind.INVALID_REQUEST, null),
                Arguments.of(400, "invalid_request_error", "prompt is too long: 212345 tokens > 200000 maximum",
                        ErrorKind.CONTEXT_WINDOW, null),
                Arguments.of(401, "authentication_error", "invalid x-api-key", ErrorKind.AUTHENTICATION, null),
                Arguments.of(403, "permission_error", "Your API key does not have permission to use the specified resource.",
                        ErrorKind.AUTHENTICATION, null),
                Arguments.of(404, "not_found_error", "model: claude-nope", ErrorKind.INVALID_REQUEST, null),
                Arguments.of(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.",
                        ErrorKind.INVALID_REQUEST, null),
                Arguments.of(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                        ErrorKind.RATE_LIMIT, "7"),
                Arguments.of(500, "api_error", "An unexpected error has occurred internal to Anthropic's systems.",
                        ErrorKind.PROVIDER, null),
                Arguments.of(529, "overloaded_error", "Overloaded", ErrorKind.PROVIDER, null));
        List<Arguments> both = new java.util.ArrayList<>();
        for (Arguments a : cases) {
            for (boolean stream : new boolean[] { false, true }) {
                Object[] v = a.get();
                both.add(Arguments.of(v[0], v[1], v[2], v[3], v[4], stream));
            }
        }
        return both;
    }

    @ParameterizedTest(name = "{0} {1} stream={5}")
    @MethodSource("errors")
    void errorStatusesBecomeTypedErrorsWithoutTheKey(int status, String type, String message, ErrorKind kind,
                                                       String retryAfter, boolean stream) {
        // the upstream echoes the key: it must still never reach the exception
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + " (key " + KEY + ")\"}}";
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy").withBody(body);
        if (retryAfter != null) {
            response = response.withHeader("retry-after", retryAfter);
        }
        wm.stubFor(post(PATH).willReturn(response));

        Exchange ex = send("direct:chat", "Hi", Map.of(LlmConstants.STREAM, stream));

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmApiException.class);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.retryable()).isEqualTo(kind.retryable());
        assertThat(e.retryAfter()).isEqualTo(retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter)));
        assertThat(e.provider()).isEqualTo("anthropic");
        assertThat(e.getMessage()).contains(message).doesNotContain(KEY);
        assertThat(e.toString()).doesNotContain(KEY);
        assertThat(ex.getException().toString()).doesNotContain(KEY);
        assertThat(context.getComponent("llm", LlmComponent.class).http().leasedConnections()).isZero();
    }

    @Test
    void toolRoundTripEchoesThinkingWithItsSignatureAndSendsToolResultsNext() throws Exception {
        wm.stubFor(post(PATH).willReturn(okJson(AnthropicFixtures.read("response-tool-thinking.json"))));
        wm.stubFor(post(PATH).withRequestBody(containing("tool_result"))
                .willReturn(okJson(AnthropicFixtures.read("response-final.json"))));
        List<ToolSpec> tools = List.of(new ToolSpec("get_weather", "Current weather for a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))));

        ChatMessage question = ChatMessage.user("What is the weather in Paris?");
        Exchange first = send("direct:tools", question.text(), Map.of(LlmConstants.TOOLS, tools));
        assertThat(first.getException()).isNull();
        ChatResponse response = first.getMessage().getBody(ChatResponse.class);
        assertThat(response.finishReason().value()).isEqualTo("tool_calls");
        ToolCall call = response.toolCalls().get(0);
        assertThat(call.name()).isEqualTo("get_weather");
        ContentPart.Thinking thinking = response.message().partsOf(ContentPart.Thinking.class).get(0);
        assertThat(thinking.signature()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");

        List<ChatMessage> conversation = List.of(question, response.message(),
                ChatMessage.toolResult(call.id(), "18 degrees, sunny"));
        Exchange second = send("direct:tools", conversation, Map.of(LlmConstants.TOOLS, tools));

        assertThat(second.getException()).isNull();
        assertThat(second.getMessage().getBody(ChatResponse.class).text()).isEqualTo("It is 18 degrees and sunny in Paris.");
        List<LoggedRequest> sent = requests();
        assertThat(sent).hasSize(2);
        JsonNode firstBody = Json.parse(sent.get(0).getBodyAsString());
        assertThat(firstBody.get("thinking").get("budget_tokens").asInt()).isEqualTo(2048);
        assertThat(firstBody.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(firstBody.get("tools").get(0).get("input_schema").get("type").asText()).isEqualTo("object");

        JsonNode messages = Json.parse(sent.get(1).getBodyAsString()).get("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        JsonNode blocks = assistant.get("content");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("thinking");
        assertThat(blocks.get(0).get("thinking").asText())
                .isEqualTo("The user wants the weather in Paris. I should call get_weather.");
        assertThat(blocks.get(0).get("signature").asText()).isEqualTo(thinking.signature());
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("redacted_thinking");
        assertThat(blocks.get(1).get("data").asText())
                .isEqualTo("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP");
        JsonNode toolUse = blocks.get(blocks.size() - 1);
        assertThat(toolUse.get("type").asText()).isEqualTo("tool_use");
        assertThat(toolUse.get("id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(toolUse.get("input").get("city").asText()).isEqualTo("Paris");
        JsonNode next = messages.get(2);
        assertThat(next.get("role").asText()).isEqualTo("user");
        assertThat(next.get("content").get(0).get("type").asText()).isEqualTo("tool_result");
        assertThat(next.get("content").get(0).get("tool_use_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(next.get("content").get(0).get("content").asText()).isEqualTo("18 degrees, sunny");
    }

    @Test
    void thinkingBudgetNotBelowMaxTokensFailsBeforeAnyNetworkCall() {
        Exchange ex = send("direct:chat", "Hi", Map.of(LlmConstants.THINKING_BUDGET, 2048));

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmInvalidRequestException.class);
        assertThat(e.getMessage()).contains("thinkingBudget").contains("maxTokens");
        assertThat(requests()).isEmpty();
    }

    @Test
    void missingKeyWithTheDefaultBaseUrlFailsAtRouteStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:nokey").to("llm:nokey?maxRetries=0&provider=anthropic&model=claude-sonnet-4-5");
            }
        })).satisfies(t -> {
            LlmException e = llmCause(t);
            assertThat(e).isInstanceOf(LlmConfigurationException.class);
            assertThat(e.getMessage()).contains("apiKey").contains("ANTHROPIC_API_KEY");
        });
    }

    @Test
    void missingModelFailsAtRouteStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:nomodel").to("llm:nomodel?maxRetries=0&provider=anthropic&apiKey=k-123456");
            }
        })).satisfies(t -> {
            LlmException e = llmCause(t);
            assertThat(e).isInstanceOf(LlmConfigurationException.class);
            assertThat(e.getMessage()).contains("model").contains("ANTHROPIC_MODEL");
        });
    }

    @Test
    void thinkingBudgetBelowTheMinimumFailsAtRouteStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:think").to("llm:think?maxRetries=0&" + endpointOptions("&thinkingBudget=500&maxTokens=4096"));
            }
        })).satisfies(t -> {
            LlmException e = llmCause(t);
            assertThat(e).isInstanceOf(LlmConfigurationException.class);
            assertThat(e.getMessage()).contains("thinkingBudget").contains("1024");
        });
    }

    @Test
    void keyModelAndMaxTokensComeFromTheEnvironment() throws Exception {
        env.put("ANTHROPIC_API_KEY", "env-key-0a1b2c3d");
        env.put("ANTHROPIC_MODEL", "claude-opus-4-1");
        env.put("ANTHROPIC_MAX_TOKENS", "333");
        wm.stubFor(post(PATH).willReturn(okJson(AnthropicFixtures.read("response-text.json"))));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:env").to("llm:env?maxRetries=0&provider=anthropic&baseUrl=" + wm.baseUrl());
            }
        });

        Exchange ex = send("direct:env", "Hi", Map.of());

        assertThat(ex.getException()).isNull();
        LoggedRequest r = requests().get(0);
        assertThat(r.getHeader("x-api-key")).isEqualTo("env-key-0a1b2c3d");
        JsonNode body = Json.parse(r.getBodyAsString());
        assertThat(body.get("model").asText()).isEqualTo("claude-opus-4-1");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(333);
    }
}
