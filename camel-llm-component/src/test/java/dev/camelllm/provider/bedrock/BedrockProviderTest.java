package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.http.NetworkSettings;
import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.TestCall;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The bedrock provider against a loopback fake that speaks Converse JSON and the binary event-stream framing. */
@Timeout(60)
class BedrockProviderTest {

    private static final String PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/";
    private ScriptedHttpServer fake;
    private final List<ChatProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new ScriptedHttpServer();
    }

    @AfterEach
    void stop() throws Exception {
        providers.forEach(ChatProvider::close);
        fake.close();
        assertThat(fake.errors()).isEmpty();
    }

    private ChatProvider provider(Consumer<LlmConfiguration> more) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("bedrock");
        c.setModel(MODEL);
        c.setRegion(REGION);
        c.setAccessKey(ACCESS_KEY);
        c.setSecretKey(SECRET_KEY);
        c.setBaseUrl(fake.baseUrl());
        c.setTimeout(10000L);
        more.accept(c);
        ChatProvider p = new BedrockProviderFactory().create(ProviderSettingsBuilder.of(c), ProviderContext.of(null, n -> null, NetworkSettings.direct()));
        providers.add(p);
        return p;
    }

    private ChatProvider provider() {
        return provider(c -> { });
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().systemPrompt("Be brief").messages(List.of(ChatMessage.user("Hi"))).maxTokens(100)
                .temperature(0.2).build();
    }

    private JsonNode body(int i) throws Exception {
        return Json.parse(fake.requests().get(i).body());
    }

    private static List<ChatChunk> drain(ChatStream stream) {
        List<ChatChunk> chunks = new ArrayList<>();
        try (stream) {
            stream.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    private static ChatResponse assemble(List<ChatChunk> chunks) {
        ResponseAssembler a = new ResponseAssembler();
        chunks.forEach(a::accept);
        return a.build("bedrock", MODEL, 0, 0);
    }

    @Test
    void converseIsSigV4SignedAndMapped() throws Exception {
        fake.then(json(converseText("Hello! How can I help?", "end_turn", 12, 7)));

        ChatResponse r = provider().chat(hello());

        assertThat(r.text()).isEqualTo("Hello! How can I help?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.rawFinishReason()).isEqualTo("end_turn");
        assertThat(r.usage()).isEqualTo(new Usage(12, 7, 5, 3));
        assertThat(r.provider()).isEqualTo("bedrock");
        ScriptedHttpServer.Request req = fake.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo(PATH + "converse");
        assertThat(req.header("authorization")).matches(SIGV4);
        assertThat(req.header("x-amz-date")).matches("\\d{8}T\\d{6}Z");
        JsonNode b = body(0);
        assertThat(b.at("/system/0/text").asText()).isEqualTo("Be brief");
        assertThat(b.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(b.at("/messages/0/content/0/text").asText()).isEqualTo("Hi");
        assertThat(b.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(100);
        assertThat(b.at("/inferenceConfig/temperature").asDouble()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(b.has("toolConfig")).isFalse();
    }

    @Test
    void converseStreamReadsTheEventStreamFrames() throws Exception {
        fake.then(stream(helloStream()));

        List<ChatChunk> chunks = drain(provider().stream(hello(), new TestCall(Duration.ofSeconds(10))));

        assertThat(chunks).containsExactly(new ChatChunk.TextDelta("Hello"), new ChatChunk.TextDelta(" world"),
                new ChatChunk.UsageUpdate(new Usage(12, 2, 0, 0)), new ChatChunk.Finish(FinishReason.STOP, "end_turn"));
        ScriptedHttpServer.Request req = fake.requests().get(0);
        assertThat(req.path()).isEqualTo(PATH + "converse-stream");
        assertThat(req.header("authorization")).matches(SIGV4);
    }

    @Test
    void aStreamThatEndsWithoutMessageStopIsIncomplete() {
        fake.then(stream(messageStart(), textDelta(0, "Hel")));

        ChatStream s = provider().stream(hello(), new TestCall(Duration.ofSeconds(10)));
        LlmException e = catchThrowableOfType(() -> drain(s), LlmException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM);
        assertThat(e.getMessage()).contains("messageStop");
    }

    @Test
    void toolUseRoundTrip() throws Exception {
        fake.then(json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check.\"},"
                + "{\"toolUse\":{\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\",\"name\":\"top_song\",\"input\":{\"sign\":\"WZPZ\"}}}]}},"
                + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":30,\"outputTokens\":20,\"totalTokens\":50},"
                + "\"metrics\":{\"latencyMs\":100}}"),
                json(converseText("The most popular song on WZPZ is Elemental Hotel.", "end_turn", 60, 12)));
        ToolSpec tool = new ToolSpec("top_song", "Get the most popular song played on a radio station.",
                Map.of("type", "object", "properties", Map.of("sign", Map.of("type", "string")), "required", List.of("sign")));
        ChatProvider p = provider();
        ChatRequest first = ChatRequest.builder().messages(List.of(ChatMessage.user("What is the top song on WZPZ?")))
                .tools(List.of(tool)).toolChoice(ToolChoice.tool("top_song")).build();

        ChatResponse r1 = p.chat(first);

        assertThat(r1.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r1.toolCalls()).containsExactly(new ToolCall("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "top_song", "{\"sign\":\"WZPZ\"}"));
        JsonNode b1 = body(0);
        assertThat(b1.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("top_song");
        assertThat(b1.at("/toolConfig/tools/0/toolSpec/inputSchema/json/properties/sign/type").asText()).isEqualTo("string");
        assertThat(b1.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("top_song");

        List<ChatMessage> history = new ArrayList<>(first.messages());
        history.add(r1.message());
        history.add(ChatMessage.toolResult("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "Elemental Hotel"));
        ChatResponse r2 = p.chat(first.toBuilder().messages(history).toolChoice(ToolChoice.AUTO).build());

        assertThat(r2.text()).isEqualTo("The most popular song on WZPZ is Elemental Hotel.");
        JsonNode b2 = body(1);
        assertThat(b2.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(b2.at("/messages/1/content/0/text").asText()).isEqualTo("Let me check.");
        assertThat(b2.at("/messages/1/content/1/toolUse/toolUseId").asText()).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        assertThat(b2.at("/messages/1/content/1/toolUse/input/sign").asText()).isEqualTo("WZPZ");
        assertThat(b2.at("/messages/2/role").asText()).isEqualTo("user");
        assertThat(b2.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        assertThat(b2.at("/messages/2/content/0/toolResult/content/0/text").asText()).isEqualTo("Elemental Hotel");
        assertThat(b2.at("/messages/2/content/0/toolResult/status").asText()).isEqualTo("success");
        assertThat(b2.at("/toolConfig/toolChoice/auto").isObject()).isTrue();
    }

    @Test
    void streamedToolUseArrivesAsDeltasThenComplete() {
        fake.then(stream(messageStart(), toolStart(0, "tooluse_1", "get_weather"), toolDelta(0, "{\"city\":"),
                toolDelta(0, "\"Paris\"}"), blockStop(0), messageStop("tool_use"), metadata(20, 9, 0, 0)));

        List<ChatChunk> chunks = drain(provider().stream(hello(), new TestCall(Duration.ofSeconds(10))));

        assertThat(chunks).containsSubsequence(new ChatChunk.ToolCallDelta(0, "tooluse_1", "get_weather", ""),
                new ChatChunk.ToolCallDelta(0, null, null, "{\"city\":"),
                new ChatChunk.ToolCallComplete(0, new ToolCall("tooluse_1", "get_weather", "{\"city\":\"Paris\"}")),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_use"));
    }

    @Test
    void reasoningWithItsSignatureRoundTrips() throws Exception {
        fake.then(stream(messageStart(), reasoningDelta(0, "The user greets. "), reasoningDelta(0, "Answer briefly."),
                signatureDelta(0, "EqQBCkgIARABGAIiQL+sig=="), blockStop(0), textDelta(1, "Hi!"), blockStop(1),
                messageStop("end_turn"), metadata(40, 30, 0, 0)),
                json(converseText("Fine.", "end_turn", 80, 2)));
        ChatProvider p = provider(c -> {
            c.setThinkingBudget(2048);
            c.setMaxTokens(4096);
        });

        ChatResponse r1 = assemble(drain(p.stream(hello().toBuilder().maxTokens(null).build(), new TestCall(Duration.ofSeconds(10)))));

        assertThat(r1.thinking()).isEqualTo("The user greets. Answer briefly.");
        assertThat(r1.message().partsOf(ContentPart.Thinking.class).get(0).signature()).isEqualTo("EqQBCkgIARABGAIiQL+sig==");
        JsonNode b1 = body(0);
        assertThat(b1.at("/additionalModelRequestFields/thinking/type").asText()).isEqualTo("enabled");
        assertThat(b1.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(2048);
        assertThat(b1.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(4096);

        List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("Hi")));
        history.add(r1.message());
        history.add(ChatMessage.user("How are you?"));
        p.chat(ChatRequest.builder().messages(history).build());

        JsonNode assistant = body(1).at("/messages/1");
        assertThat(assistant.at("/role").asText()).isEqualTo("assistant");
        assertThat(assistant.at("/content/0/reasoningContent/reasoningText/text").asText()).isEqualTo("The user greets. Answer briefly.");
        assertThat(assistant.at("/content/0/reasoningContent/reasoningText/signature").asText()).isEqualTo("EqQBCkgIARABGAIiQL+sig==");
        assertThat(assistant.at("/content/1/text").asText()).isEqualTo("Hi!");
    }

    @Test
    void redactedReasoningRoundTripsAsBytes() throws Exception {
        fake.then(json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":{\"redactedContent\":\"AQID\"}},"
                + "{\"text\":\"Done.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}"),
                json(converseText("Ok.", "end_turn", 1, 1)));
        ChatProvider p = provider();

        ChatResponse r1 = p.chat(hello());
        assertThat(r1.message().partsOf(ContentPart.RedactedThinking.class)).containsExactly(new ContentPart.RedactedThinking("AQID"));
        p.chat(ChatRequest.builder().messages(List.of(ChatMessage.user("Hi"), r1.message(), ChatMessage.user("More"))).build());

        assertThat(body(1).at("/messages/1/content/0/reasoningContent/redactedContent").asText()).isEqualTo("AQID");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "max_tokens, LENGTH", "stop_sequence, STOP", "guardrail_intervened, CONTENT_FILTER",
            "content_filtered, CONTENT_FILTER", "model_context_window_exceeded, LENGTH", "tool_use, TOOL_CALLS"})
    void stopReasonsMapToFinishReasons(String raw, FinishReason expected) {
        fake.then(json(converseText("x", raw, 1, 1)), stream(messageStart(), textDelta(0, "x"), blockStop(0), messageStop(raw),
                metadata(1, 1, 0, 0)));
        ChatProvider p = provider();

        assertThat(p.chat(hello()).finishReason()).isEqualTo(expected);
        assertThat(drain(p.stream(hello(), new TestCall(Duration.ofSeconds(10))))).last()
                .isEqualTo(new ChatChunk.Finish(expected, raw));
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
            "429, ThrottlingException, 'Too many requests, please wait before trying again.', RATE_LIMIT",
            "400, ValidationException, The model returned the following errors: messages.0: bad, INVALID_REQUEST",
            "400, ValidationException, Input is too long for requested model., CONTEXT_WINDOW",
            "503, ServiceUnavailableException, Bedrock is unable to process your request., PROVIDER",
            "500, InternalServerException, The server encountered an internal error., PROVIDER",
            "408, ModelTimeoutException, The request took too long to process., TIMEOUT",
            "403, AccessDeniedException, You don't have access to the model with the specified model ID., AUTHENTICATION",
            "424, ModelErrorException, The model failed to process the request., PROVIDER",
            "404, ResourceNotFoundException, The model does not exist., INVALID_REQUEST"})
    void httpErrorsMapToKinds(int status, String type, String message, ErrorKind kind) {
        fake.then(httpError(status, type, message));
        ChatProvider p = provider();

        LlmException plain = catchThrowableOfType(() -> p.chat(hello()), LlmException.class);
        LlmException streamed = catchThrowableOfType(() -> p.stream(hello(), new TestCall(Duration.ofSeconds(10))),
                LlmException.class);

        for (LlmException e : List.of(plain, streamed)) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.errorType()).isEqualTo(type);
            assertThat(e.getMessage()).contains(message).contains("request id b5c4e6f0-1a2b-4c3d-8e9f-00000000000e");
            assertThat(e.retryable()).isEqualTo(kind.retryable());
        }
    }

    @Test
    void retryAfterOfAnHttpErrorIsKept() {
        fake.then(httpError(429, "ThrottlingException", "slow down", "retry-after", "3"));

        LlmException e = catchThrowableOfType(() -> provider().chat(hello()), LlmException.class);

        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "throttlingException, RATE_LIMIT", "modelStreamErrorException, PROVIDER", "validationException, INVALID_REQUEST",
            "serviceUnavailableException, PROVIDER", "internalServerException, PROVIDER"})
    void exceptionFramesInTheStreamMapToKinds(String type, ErrorKind kind) {
        fake.then(stream(messageStart(), textDelta(0, "Hel"), exception(type, "stream failed: " + type)));

        ChatStream s = provider().stream(hello(), new TestCall(Duration.ofSeconds(10)));
        List<ChatChunk> seen = new ArrayList<>();
        LlmException e = catchThrowableOfType(() -> {
            try (s) {
                s.forEachRemaining(seen::add);
            }
        }, LlmException.class);

        assertThat(seen).containsExactly(new ChatChunk.TextDelta("Hel"));
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        assertThat(e.statusCode()).isZero();
        assertThat(e.getMessage()).contains("exception in the stream").contains("stream failed: " + type);
    }

    @Test
    void cancelMidStreamClosesTheConnection() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        fake.then(x -> {
            x.startStreamOf(200, EVENT_STREAM);
            x.send(concat(messageStart(), textDelta(0, "Hel")));
            firstSent.countDown();
            clientClosed.complete(x.awaitClientClose(20));
        });
        TestCall call = new TestCall(Duration.ofSeconds(30));
        ChatStream s = provider().stream(hello(), call);

        assertThat(s.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
        assertThat(firstSent.await(5, TimeUnit.SECONDS)).isTrue();
        call.cancel();

        assertThat(clientClosed.get(25, TimeUnit.SECONDS)).as("the fake saw the client close the connection").isTrue();
        LlmException e = catchThrowableOfType(s::hasNext, LlmException.class);
        assertThat(e.kind()).isIn(ErrorKind.CANCELLED, ErrorKind.STREAM);
        assertThat(call.registered()).isZero();
    }

    @Test
    void aQuietStreamStallsWithinTheIdleTimeout() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        // a warm-up call first: the idle timeout also bounds the wait for the stream's headers
        fake.then(json(converseText("warm", "end_turn", 1, 1)), x -> {
            x.startStreamOf(200, EVENT_STREAM);
            x.send(concat(messageStart(), textDelta(0, "Hel")));
            clientClosed.complete(x.awaitClientClose(20));
        });
        ChatProvider p = provider(c -> c.setStreamIdleTimeout(300L));
        p.chat(hello());
        ChatStream s = p.stream(hello(), new TestCall(Duration.ofSeconds(30)));

        assertThat(s.next()).isEqualTo(new ChatChunk.TextDelta("Hel"));
        LlmException e = catchThrowableOfType(s::hasNext, LlmException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.getMessage()).contains("stalled");
        assertThat(clientClosed.get(25, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancelWhileConverseWaitsAbortsTheRequest() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        fake.then(x -> {
            received.countDown();
            clientClosed.complete(x.awaitClientClose(20));
        });
        TestCall call = new TestCall(Duration.ofSeconds(30));
        ChatProvider p = provider();
        CompletableFuture<ChatResponse> answer = CompletableFuture.supplyAsync(() -> p.chat(hello(), call));
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();

        call.cancel();

        LlmException e = catchThrowableOfType(() -> {
            try {
                answer.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException x) {
                throw x.getCause();
            }
        }, LlmException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat(clientClosed.get(25, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeadlineBoundsTheBlockingCall() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        // a first call warms the SDK up (a cold client may take longer than the budget before it sends anything)
        fake.then(json(converseText("warm", "end_turn", 1, 1)), x -> clientClosed.complete(x.awaitClientClose(20)));
        ChatProvider p = provider();
        p.chat(hello());

        long start = System.nanoTime();
        LlmException e = catchThrowableOfType(() -> p.chat(hello(), new TestCall(Duration.ofMillis(400))),
                LlmException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(clientClosed.get(25, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeadlineBoundsTheWaitForAStreamsResponse() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        // a first call warms the SDK up (a cold client may take longer than the budget before it sends anything)
        fake.then(json(converseText("warm", "end_turn", 1, 1)), x -> clientClosed.complete(x.awaitClientClose(20)));
        ChatProvider p = provider();
        p.chat(hello());

        long start = System.nanoTime();
        LlmException e = catchThrowableOfType(() -> p.stream(hello(), new TestCall(Duration.ofMillis(400))),
                LlmException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(clientClosed.get(25, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBedrockApiKeyIsSentAsBearerToken() {
        fake.then(json(converseText("ok", "end_turn", 1, 1)));
        String token = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtdG9rZW4tZm9yLXRlc3Rz";

        provider(c -> {
            c.setAccessKey(null);
            c.setSecretKey(null);
            c.setApiKey(token);
        }).chat(hello());

        assertThat(fake.requests().get(0).header("authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void sessionTokenTravelsAsSecurityTokenHeader() {
        fake.then(json(converseText("ok", "end_turn", 1, 1)));

        provider(c -> c.setSessionToken("FwoGZXIvYXdzEXAMPLESESSIONTOKEN")).chat(hello());

        assertThat(fake.requests().get(0).header("x-amz-security-token")).isEqualTo("FwoGZXIvYXdzEXAMPLESESSIONTOKEN");
        assertThat(fake.requests().get(0).header("authorization")).matches(SIGV4);
    }

    @Test
    void imageUrlsAndBadToolArgumentsAreRefusedBeforeAnyCall() {
        ChatProvider p = provider();
        ChatRequest image = ChatRequest.builder().messages(List.of(new ChatMessage(Role.USER,
                List.of(new ContentPart.Text("What is this?"), ContentPart.Image.ofUrl("https://example.com/a.png"))))).build();
        ChatRequest badArgs = ChatRequest.builder().messages(List.of(ChatMessage.user("x"),
                new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.ToolUse(new ToolCall("t1", "f", "{not json")))))).build();

        assertThatThrownBy(() -> p.chat(image)).isInstanceOf(LlmException.class).hasMessageContaining("image URL");
        assertThatThrownBy(() -> p.chat(badArgs)).isInstanceOf(LlmException.class).hasMessageContaining("not JSON");
        assertThat(fake.requests()).isEmpty();
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
