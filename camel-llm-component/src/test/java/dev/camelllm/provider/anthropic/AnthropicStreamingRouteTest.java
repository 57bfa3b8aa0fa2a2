package dev.camelllm.provider.anthropic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.camelllm.provider.anthropic.AnthropicFixtures.llmCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The anthropic provider streaming through real llm: routes with split(body()).streaming(): whole SSE
 * fixtures from WireMock, and held-back, cut and malformed streams from a raw socket server.
 */
@Timeout(30)
class AnthropicStreamingRouteTest extends CamelTestSupport {

    private static final String KEY = AnthropicRouteTest.KEY;
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    private static final String END = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static String delta(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
    }

    private static WireMockServer wm;
    private static ScriptedHttpServer scripted;
    private volatile CountDownLatch firstTokenSeen = new CountDownLatch(1);

    @BeforeAll
    static void startUpstreams() throws Exception {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        scripted = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopUpstreams() throws Exception {
        wm.stop();
        scripted.close();
    }

    @BeforeEach
    void resetUpstream() {
        wm.resetAll();
        scripted.errors().clear();
    }

    @AfterEach
    void noConnectionLeft() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(leased()).isZero());
        assertThat(scripted.errors()).isEmpty();
    }

    private int leased() {
        return context.getComponent("llm", LlmComponent.class).http().leasedConnections();
    }

    private static String llmUri(String name, String baseUrl, String more) {
        return "llm:" + name + "?maxRetries=0&provider=anthropic&baseUrl=" + baseUrl + "&apiKey=RAW(" + KEY + ")"
                + "&model=claude-sonnet-4-5&stream=true&timeout=5000" + more;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:text").to(llmUri("text", wm.baseUrl(), ""))
                        .split(body()).streaming().to("mock:tokens").end()
                        .to("mock:textDone");
                from("direct:chunks").to(llmUri("chunks", wm.baseUrl(), "&streamFormat=chunks"))
                        .split(body()).streaming().to("mock:chunks").end()
                        .to("mock:chunksDone");
                from("direct:scripted").to(llmUri("scripted", scripted.baseUrl(), ""))
                        .split(body()).streaming()
                            .process(e -> firstTokenSeen.countDown())
                            .to("mock:scriptedTokens")
                        .end()
                        .to("mock:scriptedDone");
            }
        };
    }

    private void serve(String fixture) {
        wm.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(AnthropicFixtures.read(fixture))));
    }

    private Exchange send(String uri) {
        return template.send(uri, ex -> ex.getIn().setBody("Hi"));
    }

    private static List<Object> bodies(MockEndpoint mock) {
        List<Object> out = new ArrayList<>();
        for (Exchange e : mock.getReceivedExchanges()) {
            out.add(e.getIn().getBody());
        }
        return out;
    }

    private static <T> List<T> chunksOf(List<Object> chunks, Class<T> type) {
        return chunks.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void textDeltasArriveInOrderPingAndUnknownEventsIgnoredUsageMerged() throws Exception {
        serve("stream-text.sse");
        MockEndpoint tokens = getMockEndpoint("mock:tokens");
        tokens.expectedBodiesReceived("Hello", ", ", "world", "!");
        getMockEndpoint("mock:textDone").expectedMessageCount(1);

        Exchange ex = send("direct:text");

        assertThat(ex.getException()).isNull();
        MockEndpoint.assertIsSatisfied(context);
        assertThat(ex.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        // input and cache tokens from message_start, output tokens from message_delta
        assertThat(ex.getMessage().getHeader(LlmConstants.INPUT_TOKENS, Long.class)).isEqualTo(25L);
        assertThat(ex.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS, Long.class)).isEqualTo(15L);
        assertThat(ex.getMessage().getHeader(LlmConstants.CACHE_READ_TOKENS, Long.class)).isEqualTo(40L);
        assertThat(ex.getMessage().getHeader(LlmConstants.CACHE_WRITE_TOKENS, Long.class)).isEqualTo(3L);
        assertThat(ex.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("anthropic");
        ChatResponse response = ex.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.text()).isEqualTo("Hello, world!");

        JsonNode sent = Json.parse(wm.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(wm.getAllServeEvents().get(0).getRequest().getHeader("x-api-key")).isEqualTo(KEY);
    }

    @Test
    void twoToolUseBlocksInManyFragmentsAndANoArgumentTool() throws Exception {
        serve("stream-tools.sse");

        Exchange ex = send("direct:chunks");

        assertThat(ex.getException()).isNull();
        List<Object> chunks = bodies(getMockEndpoint("mock:chunks"));
        assertThat(chunksOf(chunks, ChatChunk.TextDelta.class)).containsExactly(
                new ChatChunk.TextDelta("Checking both cities."));

        List<ChatChunk.ToolCallDelta> deltas = chunksOf(chunks, ChatChunk.ToolCallDelta.class);
        assertThat(deltas.get(0)).isEqualTo(new ChatChunk.ToolCallDelta(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", ""));
        StringBuilder first = new StringBuilder();
        deltas.stream().filter(d -> d.index() == 0).forEach(d -> first.append(d.argumentsDelta()));
        assertThat(first).hasToString("{\"city\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}");
        assertThat(deltas.stream().filter(d -> d.index() == 0 && !d.argumentsDelta().isEmpty())).hasSize(5);
        assertThat(deltas.stream().filter(d -> d.index() == 1 && !d.argumentsDelta().isEmpty())).hasSize(4);
        assertThat(deltas.stream().filter(d -> d.index() == 2)).containsExactly(
                new ChatChunk.ToolCallDelta(2, "toolu_03NoArgs", "get_time", ""));

        List<ChatChunk.ToolCallComplete> complete = chunksOf(chunks, ChatChunk.ToolCallComplete.class);
        assertThat(complete).hasSize(3);
        assertThat(complete.get(0).index()).isZero();
        assertThat(complete.get(0).call().id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(Json.parse(complete.get(0).call().arguments()))
                .isEqualTo(Json.parse("{\"city\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
        assertThat(Json.parse(complete.get(1).call().arguments()))
                .isEqualTo(Json.parse("{\"city\":\"Paris\",\"days\":[1,2]}"));
        assertThat(complete.get(2).call()).isEqualTo(new ToolCall("toolu_03NoArgs", "get_time", "{}"));

        assertThat(chunksOf(chunks, ChatChunk.Finish.class)).containsExactly(
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_use"));
        assertThat(ex.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("tool_calls");
        @SuppressWarnings("unchecked")
        List<ToolCall> calls = ex.getMessage().getHeader(LlmConstants.TOOL_CALLS, List.class);
        assertThat(calls).extracting(ToolCall::name).containsExactly("get_weather", "get_weather", "get_time");
        ChatResponse response = ex.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.toolCalls()).hasSize(3);
        assertThat(response.usage().inputTokens()).isEqualTo(472);
        assertThat(response.usage().outputTokens()).isEqualTo(89);
    }

    @Test
    void thinkingDeltasAndSignatureEndUpInTheFinishedResponse() throws Exception {
        serve("stream-thinking.sse");

        Exchange ex = send("direct:chunks");

        assertThat(ex.getException()).isNull();
        List<Object> chunks = bodies(getMockEndpoint("mock:chunks"));
        String signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
        String thinking = "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3";
        assertThat(chunksOf(chunks, ChatChunk.ThinkingDelta.class)).hasSize(2);
        assertThat(chunksOf(chunks, ChatChunk.ThinkingSignature.class)).containsExactly(
                new ChatChunk.ThinkingSignature(signature));
        // the signature comes at the end of its block, after the thinking and before the text
        int sigAt = chunks.indexOf(new ChatChunk.ThinkingSignature(signature));
        assertThat(chunks.indexOf(new ChatChunk.TextDelta("27 * 453 = 12,231"))).isGreaterThan(sigAt);

        ChatResponse response = ex.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(response.message().partsOf(ContentPart.Thinking.class))
                .containsExactly(new ContentPart.Thinking(thinking, signature));
        assertThat(response.text()).isEqualTo("27 * 453 = 12,231");
        assertThat(ex.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo(thinking);
        assertThat(response.usage().inputTokens()).isEqualTo(85);
        assertThat(response.usage().outputTokens()).isEqualTo(120);
    }

    @Test
    void overloadedErrorEventAfterHttp200IsARetryableProviderError() throws Exception {
        serve("stream-overloaded.sse");
        getMockEndpoint("mock:chunksDone").expectedMessageCount(0);

        Exchange ex = send("direct:chunks");

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmApiException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.retryable()).isTrue();
        assertThat(e.errorType()).isEqualTo("overloaded_error");
        assertThat(e.statusCode()).isZero();
        assertThat(e.getMessage()).contains("Overloaded").doesNotContain(KEY);
        assertThat(ex.getProperty(LlmConstants.RESPONSE_PROPERTY)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void tokensReachTheRouteWhileTheUpstreamIsStillSending() throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        firstTokenSeen = seen;
        scripted.then(x -> {
            x.startStream(200);
            x.send(START + delta("first"));
            // the rest is held back until the route has processed the first token
            x.await(seen, 10);
            x.send(delta(" second") + delta(" third") + END);
            x.endStream();
        });
        getMockEndpoint("mock:scriptedTokens").expectedBodiesReceived("first", " second", " third");
        getMockEndpoint("mock:scriptedDone").expectedMessageCount(1);

        Exchange ex = send("direct:scripted");

        assertThat(ex.getException()).isNull();
        MockEndpoint.assertIsSatisfied(context);
        assertThat(ex.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
    }

    @Test
    void cutStreamIsAnErrorNeverACompletedAnswer() throws Exception {
        scripted.then(x -> {
            x.startStream(200);
            x.send(START + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n");
            x.cut();
        });
        getMockEndpoint("mock:scriptedDone").expectedMessageCount(0);

        Exchange ex = send("direct:scripted");

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmStreamException.class);
        assertThat(e.provider()).isEqualTo("anthropic");
        assertThat(ex.getProperty(LlmConstants.RESPONSE_PROPERTY)).isNull();
        assertThat(ex.getMessage().getHeader(LlmConstants.FINISH_REASON)).isNull();
        MockEndpoint.assertIsSatisfied(context);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(leased()).isZero());
    }

    @Test
    void cleanCloseWithoutMessageStopIsTreatedAsCut() throws Exception {
        scripted.then(x -> {
            x.startStream(200);
            x.send(START + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
                    + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
            x.endStream();
        });
        getMockEndpoint("mock:scriptedDone").expectedMessageCount(0);

        Exchange ex = send("direct:scripted");

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmStreamException.class);
        assertThat(e.getMessage()).contains("message_stop");
        assertThat(ex.getProperty(LlmConstants.RESPONSE_PROPERTY)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void malformedEventIsAStreamErrorNamingTheProvider() throws Exception {
        scripted.then(x -> {
            x.startStream(200);
            x.send(START + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"\n\n");
            x.send(END);
            x.endStream();
        });
        getMockEndpoint("mock:scriptedDone").expectedMessageCount(0);

        Exchange ex = send("direct:scripted");

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmStreamException.class);
        assertThat(e.getMessage()).contains("anthropic").contains("content_block_delta");
        // the events after the bad one (message_delta, message_stop) must not complete the answer
        assertThat(ex.getProperty(LlmConstants.RESPONSE_PROPERTY)).isNull();
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void malformedToolInputIsAStreamError() throws Exception {
        scripted.then(x -> {
            x.startStream(200);
            x.send(START.replace("{\"type\":\"text\",\"text\":\"\"}",
                    "{\"type\":\"tool_use\",\"id\":\"toolu_x\",\"name\":\"get_time\",\"input\":{}}")
                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"tz\\\": \\\"UT\"}}\n\n"
                    + END.replace("end_turn", "tool_use"));
            x.endStream();
        });

        Exchange ex = send("direct:scripted");

        LlmException e = llmCause(ex.getException());
        assertThat(e).isInstanceOf(LlmStreamException.class);
        assertThat(e.getMessage()).contains("anthropic").contains("get_time").contains("not valid JSON");
        assertThat(ex.getProperty(LlmConstants.RESPONSE_PROPERTY)).isNull();
    }
}
