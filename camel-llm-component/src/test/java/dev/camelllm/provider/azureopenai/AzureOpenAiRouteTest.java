package dev.camelllm.provider.azureopenai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.ResponseFormat;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * provider=azure-openai through real routes against a WireMock Azure OpenAI on loopback, with Azure's
 * bodies (content filter results, prompt_filter_results, its error shapes): the deployment URL with
 * api-version and the v1 path, the api-key header or an Entra ID bearer token from a bean, content
 * filtering as a finish and as an error, every error status with retry-after-ms, usage with reasoning.
 */
@Timeout(30)
class AzureOpenAiRouteTest extends OpenAiTestSupport {

    static final String DEPLOYMENT = "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21";
    static final String V1 = "/openai/v1/chat/completions";

    static WireMockServer wm;

    final AtomicInteger tokens = new AtomicInteger();

    @BindToRegistry("entraToken")
    final Callable<String> entraToken = () -> "eyJ0eXAiOiJKV1Qi.token-" + tokens.incrementAndGet();

    @BindToRegistry("brokenToken")
    final Callable<String> brokenToken = () -> {
        throw new IllegalStateException("ManagedIdentityCredential authentication unavailable");
    };

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

    static String endpoint() {
        return "http://127.0.0.1:" + wm.port();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String common = "provider=azure-openai&maxRetries=0&baseUrl=" + endpoint();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:deployment").to("llm:dep?" + common + "&model=gpt4o-prod&provider.apiVersion=2024-10-21&apiKey="
                        + KEY + "&fullResponse=true&maxTokens=50");
                from("direct:v1").to("llm:v1?" + common + "/openai/v1/&model=o4-mini-prod&apiKey=" + KEY
                        + "&fullResponse=true&thinkingBudget=4096");
                from("direct:stream").to("llm:stream?" + common + "&model=gpt4o-prod&apiKey=" + KEY + "&stream=true")
                        .split(body()).streaming().to("mock:tokens");
                from("direct:entra").to("llm:entra?" + common + "&model=gpt4o-prod&provider.tokenSupplier=#entraToken");
                from("direct:broken").to("llm:broken?" + common + "&model=gpt4o-prod&provider.tokenSupplier=brokenToken");
            }
        };
    }

    private static void answer(String path, int status, String fixture, String... headers) {
        var response = aResponse().withStatus(status)
                .withHeader("Content-Type", fixture.endsWith(".sse") ? "text/event-stream" : "application/json")
                .withBody(Fixtures.text("azure/" + fixture));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        wm.stubFor(post(urlEqualTo(path)).willReturn(response));
    }

    @Test
    void aDeploymentUrlWithApiVersionAndTheApiKeyHeader() throws Exception {
        answer(DEPLOYMENT, 200, "chat-text.json");

        ChatResponse r = template.requestBody("direct:deployment", "Hi", ChatResponse.class);

        assertThat(r.text()).isEqualTo("Hello from Azure.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.provider()).isEqualTo("azure-openai");
        assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
        assertThat(r.usage().inputTokens()).isEqualTo(21);
        wm.verify(postRequestedFor(urlEqualTo(DEPLOYMENT)).withHeader("api-key", equalTo(KEY))
                .withHeader("Authorization", absent()));
        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo(DEPLOYMENT))).get(0).getBodyAsString());
        assertThat(body).isEqualTo(Json.parse("""
                {"model": "gpt4o-prod", "messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 50}
                """));
    }

    @Test
    void theV1PathWithReasoningUsage() throws Exception {
        answer(V1, 200, "chat-reasoning.json");

        ChatResponse r = template.requestBody("direct:v1", "Factor 408", ChatResponse.class);

        assertThat(r.text()).isEqualTo("408 is 2^3 * 3 * 17.");
        assertThat(r.usage().outputTokens()).isEqualTo(420);
        assertThat(r.usage().reasoningTokens()).isEqualTo(384);
        assertThat(r.usage().cacheReadTokens()).isEqualTo(1024);
        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo(V1))).get(0).getBodyAsString());
        assertThat(body.get("model").asText()).isEqualTo("o4-mini-prod");
        assertThat(body.get("reasoning_effort").asText()).isEqualTo("medium");
    }

    @Test
    void toolCallsAndTheirResultsRoundTripAndJsonSchemaIsNative() throws Exception {
        answer(V1, 200, "chat-tool-calls.json");
        ChatRequest first = ChatRequest.builder().user("Weather in Paris?")
                .tools(List.of(new ToolSpec("get_weather", null, Map.of("type", "object"))))
                .responseFormat(ResponseFormat.jsonSchema("weather", Map.of("type", "object"))).build();

        ChatResponse called = template.requestBody("direct:v1", first, ChatResponse.class);

        assertThat(called.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(called.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("call_Az1");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
        wm.resetAll();
        // the answer after the tool result is checked against the schema by the component: JSON that follows it
        answer(V1, 200, "chat-json.json");
        ChatRequest second = first.toBuilder().messages(List.of(first.messages().get(0), called.message(),
                ChatMessage.toolResult("call_Az1", "{\"temp\":18}"))).build();
        template.requestBody("direct:v1", second, ChatResponse.class);

        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo(V1))).get(0).getBodyAsString());
        assertThat(body.get("messages").get(1)).isEqualTo(Json.parse("""
                {"role": "assistant", "content": null, "tool_calls": [{"id": "call_Az1", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]}
                """));
        assertThat(body.get("messages").get(2)).isEqualTo(Json.parse(
                "{\"role\": \"tool\", \"tool_call_id\": \"call_Az1\", \"content\": \"{\\\"temp\\\":18}\"}"));
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("name").asText()).isEqualTo("weather");
        assertThat(body.path("response_format").path("json_schema").get("schema")).isEqualTo(Json.parse("{\"type\":\"object\"}"));
    }

    @Test
    void aStreamWithPromptFilterResultsAndUsage() throws Exception {
        answer("/openai/v1/chat/completions", 200, "stream-text.sse");
        getMockEndpoint("mock:tokens").expectedBodiesReceived("Hello", " from Azure.");

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        getMockEndpoint("mock:tokens").assertIsSatisfied();
        ChatResponse r = out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().outputTokens()).isEqualTo(4);
        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo(V1))).get(0).getBodyAsString());
        assertThat(body.get("stream_options")).isEqualTo(Json.parse("{\"include_usage\": true}"));
        awaitNoLeasedConnections();
    }

    @Test
    void theContentFilterStoppingTheAnswerIsAContentFilterFinish() throws Exception {
        answer(DEPLOYMENT, 200, "chat-content-filter.json");
        ChatResponse r = template.requestBody("direct:deployment", "Tell a war story", ChatResponse.class);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.rawFinishReason()).isEqualTo("content_filter");
        assertThat(r.text()).isEqualTo("The battle began when");

        answer(V1, 200, "stream-content-filter.sse");
        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Tell a war story"));
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("content_filter");
        awaitNoLeasedConnections();
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments(400, "error-400-content-filter.json", new String[0], ErrorKind.CONTENT_POLICY, "content_filter", null),
                arguments(400, "error-400-context.json", new String[0], ErrorKind.CONTEXT_WINDOW, "context_length_exceeded", null),
                arguments(401, "error-401.json", new String[0], ErrorKind.AUTHENTICATION, "401", null),
                arguments(403, "error-401-token.json", new String[0], ErrorKind.AUTHENTICATION, "PermissionDenied", null),
                arguments(404, "error-404.json", new String[0], ErrorKind.INVALID_REQUEST, "DeploymentNotFound", null),
                arguments(429, "error-429.json", new String[] {"retry-after-ms", "6250", "retry-after", "7"},
                        ErrorKind.RATE_LIMIT, "429", Duration.ofMillis(6250)),
                arguments(429, "error-429.json", new String[] {"retry-after", "6"}, ErrorKind.RATE_LIMIT, "429",
                        Duration.ofSeconds(6)),
                arguments(500, "error-500.json", new String[0], ErrorKind.PROVIDER, "InternalServerError", null),
                arguments(503, "error-503.json", new String[] {"retry-after", "2"}, ErrorKind.PROVIDER, "ServiceUnavailable",
                        Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("errors")
    void everyErrorIsTyped(int status, String fixture, String[] headers, ErrorKind kind, String code, Duration retryAfter) {
        answer(DEPLOYMENT, status, fixture, headers);
        answer(V1, status, fixture, headers);

        for (String route : new String[] {"direct:deployment", "direct:stream"}) {
            Exchange out = template.request(route, e -> e.getMessage().setBody("Hi"));

            LlmApiException e = out.getException(LlmApiException.class);
            assertThat(e).as("%s: an LlmApiException, got %s", route, out.getException()).isNotNull();
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.provider()).isEqualTo("azure-openai");
            assertThat(e.errorType()).isEqualTo(code);
            assertThat(e.retryAfter()).isEqualTo(retryAfter);
            assertThat(e.getMessage()).doesNotContain(KEY);
        }
        awaitNoLeasedConnections();
    }

    @Test
    void aContentFilterErrorNamesTheFilteredCategories() {
        answer(DEPLOYMENT, 400, "error-400-content-filter.json");

        Exchange out = template.request("direct:deployment", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).hasMessageContaining("filtered: jailbreak, violence high");
    }

    @Test
    void anEntraIdTokenFromTheBeanIsAskedForEachRequestAndSentAsBearer() {
        answer(V1, 200, "chat-text.json");

        template.requestBody("direct:entra", "Hi", String.class);
        template.requestBody("direct:entra", "Hi again", String.class);

        var sent = wm.findAll(postRequestedFor(urlEqualTo(V1)));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer eyJ0eXAiOiJKV1Qi.token-1");
        assertThat(sent.get(1).getHeader("Authorization")).isEqualTo("Bearer eyJ0eXAiOiJKV1Qi.token-2");
        assertThat(sent.get(0).containsHeader("api-key")).isFalse();
    }

    @Test
    void aFailingTokenSupplierIsAnAuthenticationErrorAndNothingIsSent() {
        Exchange out = template.request("direct:broken", e -> e.getMessage().setBody("Hi"));

        LlmApiException e = out.getException(LlmApiException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("brokenToken").contains("ManagedIdentityCredential");
        assertThat(wm.findAll(postRequestedFor(urlPathMatching("/openai/.*")))).isEmpty();
    }
}
