package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawContentBlockDelta;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.camelllm.spi.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK as a client of the gateway on loopback: the local model (plain, streamed,
 * thinking, tools), an OpenAI-format upstream behind the Messages API, and errors as the SDK types them.
 */
class AnthropicSdkGatewayTest extends GatewayTestSupport {

    private static final String HELLO = "Hello! How can I help you today?";
    private static final String CAPITAL_THINKING = "The user asks for the capital of France.";
    private static final String CAPITAL = "The capital of France is Paris.";
    private static final String PARIS_WEATHER = "It is 18°C and sunny in Paris.";
    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";

    private static AnthropicClient client;

    @BeforeAll
    static void startClient() {
        client = client(FULL_KEY);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static AnthropicClient client(String key) {
        // the SDK adds /v1/messages and /v1/models itself; it checks every answer against its types
        return AnthropicOkHttpClient.builder()
                .baseUrl(gateway)
                .responseValidation(true)
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    /** Runs the body with a client for another key, closed afterwards (AnthropicClient is not AutoCloseable). */
    private static void withKey(String key, Consumer<AnthropicClient> body) {
        AnthropicClient other = client(key);
        try {
            body.accept(other);
        } finally {
            other.close();
        }
    }

    // ---------------------------------------------------------------- the local model

    @Test
    void localModelAnswersWithTextUsageAndTheGatewayHeaders() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("local").maxTokens(64).addUserMessage("Hello")
                .putAdditionalHeader("x-request-id", "trace-sdk-1")
                .build();

        try (HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params)) {
            Message message = raw.parse();

            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(texts(message)).containsExactly(HELLO);
            assertThat(message.content()).hasSize(1);
            assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
            assertThat(message.model().asString()).isEqualTo("local");
            assertThat(message.id()).startsWith("msg_");
            assertThat(message.usage().inputTokens()).isPositive();
            assertThat(message.usage().outputTokens()).isPositive();
            assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("onnx");
            assertThat(Double.parseDouble(raw.headers().values(GatewayHeaders.OVERHEAD).get(0))).isGreaterThanOrEqualTo(0.0);
            // the SDK reads Anthropic's request-id header: the gateway's id, here the one the client sent
            assertThat(raw.requestId()).hasValue("trace-sdk-1");
            assertThat(raw.headers().values(GatewayHeaders.REQUEST_ID)).containsExactly("trace-sdk-1");
        }
    }

    @Test
    void localModelStreamsTextDeltasInEventOrder() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("local").maxTokens(64).addUserMessage("Hello").build();

        Streamed streamed = stream(client, params);

        List<String> deltas = streamed.deltas(RawContentBlockDelta::isText, d -> d.asText().text());
        assertThat(String.join("", deltas)).isEqualTo(HELLO);
        assertThat(deltas).hasSizeGreaterThan(1);
        assertValidEventOrder(streamed.events);
        Message message = streamed.message;
        assertThat(texts(message)).containsExactly(HELLO);
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    void localModelThinksWhenTheRequestGivesAThinkingBudget() {
        Message message = client.messages().create(capitalQuestion());

        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).isThinking()).isTrue();
        assertThat(message.content().get(0).asThinking().thinking()).contains(CAPITAL_THINKING);
        assertThat(message.content().get(1).asText().text()).isEqualTo(CAPITAL);
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    }

    @Test
    void localModelStreamsThinkingDeltasBeforeTheText() {
        Streamed streamed = stream(client, capitalQuestion());

        assertValidEventOrder(streamed.events);
        String thinking = String.join("", streamed.deltas(RawContentBlockDelta::isThinking, d -> d.asThinking().thinking()));
        assertThat(thinking).contains(CAPITAL_THINKING);
        assertThat(String.join("", streamed.deltas(RawContentBlockDelta::isText, d -> d.asText().text()))).isEqualTo(CAPITAL);
        Message message = streamed.message;
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo(thinking);
        assertThat(message.content().get(1).asText().text()).isEqualTo(CAPITAL);
        assertThat(message.usage().outputTokens()).isPositive();
    }

    private static MessageCreateParams capitalQuestion() {
        return MessageCreateParams.builder()
                .model("local").maxTokens(2048).enabledThinking(1024)
                .addUserMessage("What is the capital of France?").build();
    }

    @Test
    void localModelCallsTheToolAndAnswersFromItsResult() {
        Message call = client.messages().create(weatherQuestion("local").build());

        assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock toolUse = onlyToolUse(call);
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(input(toolUse)).isEqualTo(Map.of("city", "Paris"));
        assertThat(toolUse.id()).isNotBlank();

        Message answer = client.messages().create(weatherQuestion("local")
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(toolResult(toolUse.id(), "18°C and sunny")))
                .build());

        assertThat(texts(answer)).containsExactly(PARIS_WEATHER);
        assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
    }

    @Test
    void localModelStreamsTheToolCallAndTheAnswerFromItsResult() throws Exception {
        Streamed call = stream(client, weatherQuestion("local").build());

        assertValidEventOrder(call.events);
        assertThat(call.message.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock toolUse = onlyToolUse(call.message);
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(input(toolUse)).isEqualTo(Map.of("city", "Paris"));
        assertThat(Json.parse(String.join("", call.deltas(RawContentBlockDelta::isInputJson, d -> d.asInputJson().partialJson()))))
                .isEqualTo(Json.parse("{\"city\":\"Paris\"}"));

        Streamed answer = stream(client, weatherQuestion("local")
                .addMessage(call.message)
                .addUserMessageOfContentBlockParams(List.of(toolResult(toolUse.id(), "18°C and sunny")))
                .build());

        assertValidEventOrder(answer.events);
        assertThat(String.join("", answer.deltas(RawContentBlockDelta::isText, d -> d.asText().text()))).isEqualTo(PARIS_WEATHER);
        assertThat(answer.message.stopReason()).hasValue(StopReason.END_TURN);
    }

    // ---------------------------------------------------------------- an OpenAI-format upstream

    @Test
    void openAiUpstreamTextReachesTheClientAsAMessage() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(json("""
                {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
                 "model":"gpt-upstream-1-2025-01-01","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"Paris is the capital of France.","refusal":null,"annotations":[]},"logprobs":null,
                 "finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":7,"total_tokens":26,
                 "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":
                 {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}""")));

        try (HttpResponseFor<Message> raw = client.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("gpt-up").maxTokens(100).system("Answer in one sentence.")
                .addUserMessage("What is the capital of France?").build())) {
            Message message = raw.parse();

            assertThat(texts(message)).containsExactly("Paris is the capital of France.");
            assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
            assertThat(message.model().asString()).isEqualTo("gpt-up");
            assertThat(message.usage().inputTokens()).isEqualTo(19);
            assertThat(message.usage().outputTokens()).isEqualTo(7);
            assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("openai");
        }
        JsonNode sent = Json.parse(onlyRequest().getBodyAsString());
        assertThat(sent.get("model").asText()).isEqualTo("gpt-upstream-1");
        assertThat(sent.at("/messages/0")).isEqualTo(Json.parse("{\"role\":\"system\",\"content\":\"Answer in one sentence.\"}"));
        assertThat(sent.at("/messages/1")).isEqualTo(Json.parse("{\"role\":\"user\",\"content\":\"What is the capital of France?\"}"));
        assertThat(sent.get("messages")).hasSize(2);
        assertThat(sent.has("stream")).isFalse();
    }

    @Test
    void openAiUpstreamReasoningContentBecomesAThinkingBlock() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(json("""
                {"id":"930c60df-bf64-41c9-a88e-3ec75f81e00e","object":"chat.completion","created":1737521813,
                 "model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"9.11 is smaller than 9.8.","reasoning_content":"Compare the tenths: 1 is less than 8."},
                 "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":15,"completion_tokens":40,
                 "total_tokens":55,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":15,
                 "completion_tokens_details":{"reasoning_tokens":30}},"system_fingerprint":"fp_1c5d8833bc"}""")));

        Message message = client.messages().create(MessageCreateParams.builder()
                .model("gpt-up").maxTokens(2048).enabledThinking(1024)
                .addUserMessage("Which is smaller, 9.11 or 9.8?").build());

        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("Compare the tenths: 1 is less than 8.");
        // no upstream signature: an empty one, which the gateway drops again when the client echoes the block
        assertThat(message.content().get(0).asThinking().signature()).isEmpty();
        assertThat(message.content().get(1).asText().text()).isEqualTo("9.11 is smaller than 9.8.");
        assertThat(message.usage().outputTokens()).isEqualTo(40);
    }

    @Test
    void openAiUpstreamToolCallsBecomeToolUseBlocks() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(json("""
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-upstream-1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_abc123","type":"function","function":{"name":"get_weather",
                    "arguments":"{\\n\\"city\\": \\"Paris\\"\\n}"}}]},
                 "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}""")));

        Message message = client.messages().create(weatherQuestion("gpt-up").build());

        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock toolUse = onlyToolUse(message);
        assertThat(toolUse.id()).isEqualTo("call_abc123");
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(input(toolUse)).isEqualTo(Map.of("city", "Paris"));
    }

    /**
     * Reasoning, text and two tool calls whose argument fragments interleave by index, the finish reason, a
     * usage-only chunk, then [DONE]: what a Chat Completions server streams with include_usage.
     */
    private static final String TOOL_CALL_STREAM = sse(
            chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", null),
            chunk("{\"content\":null,\"reasoning_content\":\"The user wants the weather \"}", null),
            chunk("{\"content\":null,\"reasoning_content\":\"in two cities.\"}", null),
            chunk("{\"content\":\"Let me check \",\"reasoning_content\":null}", null),
            chunk("{\"content\":\"both cities.\"}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_paris\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_london\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"Paris\\\"}\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\": \"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"London\\\"}\"}}]}", null),
            chunk("{}", "tool_calls"),
            "{\"id\":\"chatcmpl-w1\",\"object\":\"chat.completion.chunk\",\"created\":1737000000,\"model\":\"gpt-upstream-1\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":45,\"total_tokens\":165,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}");

    @Test
    void openAiUpstreamStreamIsAccumulatedByTheSdkIntoThinkingTextAndToolUse() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(eventStream(TOOL_CALL_STREAM)));

        Streamed streamed = stream(client, twoCitiesQuestion().build());

        assertValidEventOrder(streamed.events);
        assertToolCallMessage(streamed.message);
        assertThat(streamed.deltas(RawContentBlockDelta::isThinking, d -> d.asThinking().thinking()))
                .containsExactly("The user wants the weather ", "in two cities.");
        assertThat(streamed.deltas(RawContentBlockDelta::isText, d -> d.asText().text()))
                .containsExactly("Let me check ", "both cities.");
        JsonNode sent = Json.parse(onlyRequest().getBodyAsString());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void toolResultsTravelToTheOpenAiUpstreamAsChatCompletionsWithTheProviderKey() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).atPriority(5).willReturn(eventStream(TOOL_CALL_STREAM)));
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json("""
                        {"id":"chatcmpl-w2","object":"chat.completion","created":1737000001,"model":"gpt-upstream-1",
                         "choices":[{"index":0,"message":{"role":"assistant",
                         "content":"Paris: 18°C and sunny. London: 12°C and rainy."},"logprobs":null,"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":180,"completion_tokens":14,"total_tokens":194}}""")));
        Message call = stream(client, twoCitiesQuestion().build()).message;

        Message answer = client.messages().create(twoCitiesQuestion()
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(
                        toolResult("call_paris", "18°C and sunny"),
                        toolResult("call_london", "12°C and rainy")))
                .build());

        assertThat(texts(answer)).containsExactly("Paris: 18°C and sunny. London: 12°C and rainy.");
        assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
        List<LoggedRequest> requests = openAiUpstream.findAll(WireMock.postRequestedFor(urlEqualTo(CHAT_COMPLETIONS)));
        assertThat(requests).hasSize(2);
        LoggedRequest second = requests.get(1);
        JsonNode sent = Json.parse(second.getBodyAsString());
        JsonNode messages = sent.get("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0)).isEqualTo(Json.parse("{\"role\":\"system\",\"content\":\"You are a weather assistant.\"}"));
        assertThat(messages.get(1)).isEqualTo(Json.parse("{\"role\":\"user\",\"content\":\"What is the weather in Paris and London?\"}"));
        JsonNode assistant = messages.get(2);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("content").asText()).isEqualTo("Let me check both cities.");
        assertThat(assistant.get("tool_calls")).hasSize(2);
        assertToolCall(assistant.at("/tool_calls/0"), "call_paris", "{\"city\":\"Paris\"}");
        assertToolCall(assistant.at("/tool_calls/1"), "call_london", "{\"city\":\"London\"}");
        assertThat(messages.get(3)).isEqualTo(Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"call_paris\",\"content\":\"18°C and sunny\"}"));
        assertThat(messages.get(4)).isEqualTo(Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"call_london\",\"content\":\"12°C and rainy\"}"));
        // Chat Completions has no place for the echoed thinking: it stays behind
        assertThat(second.getBodyAsString()).doesNotContain("The user wants the weather");
        assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(sent.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
        for (LoggedRequest request : requests) {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + OPENAI_PROVIDER_KEY);
            assertThat(request.containsHeader("x-api-key")).isFalse();
            assertThat(request.getBodyAsString()).doesNotContain(FULL_KEY);
            for (HttpHeader header : request.getHeaders().all()) {
                assertThat(header.values()).as(header.key()).noneMatch(v -> v.contains(FULL_KEY));
            }
        }
    }

    private static void assertToolCall(JsonNode call, String id, String arguments) throws Exception {
        assertThat(call.get("id").asText()).isEqualTo(id);
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").isTextual()).as("arguments is a JSON string").isTrue();
        assertThat(Json.parse(call.at("/function/arguments").asText())).isEqualTo(Json.parse(arguments));
    }

    private static void assertToolCallMessage(Message message) {
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(4);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("The user wants the weather in two cities.");
        assertThat(content.get(1).asText().text()).isEqualTo("Let me check both cities.");
        ToolUseBlock paris = content.get(2).asToolUse();
        assertThat(paris.id()).isEqualTo("call_paris");
        assertThat(paris.name()).isEqualTo("get_weather");
        assertThat(input(paris)).isEqualTo(Map.of("city", "Paris"));
        ToolUseBlock london = content.get(3).asToolUse();
        assertThat(london.id()).isEqualTo("call_london");
        assertThat(input(london)).isEqualTo(Map.of("city", "London"));
        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        // OpenAI's prompt_tokens include the cached ones; Anthropic reports them beside input_tokens
        assertThat(message.usage().inputTokens()).isEqualTo(56);
        assertThat(message.usage().cacheReadInputTokens()).hasValue(64L);
        assertThat(message.usage().outputTokens()).isEqualTo(45);
    }

    private static MessageCreateParams.Builder twoCitiesQuestion() {
        return MessageCreateParams.builder()
                .model("gpt-up").maxTokens(2048).enabledThinking(1024)
                .system("You are a weather assistant.")
                .addTool(weatherTool())
                .addUserMessage("What is the weather in Paris and London?");
    }

    // ---------------------------------------------------------------- an Anthropic-format upstream

    @Test
    void aThinkingSignatureTravelsUnchangedThroughAToolLoopToAnAnthropicUpstream() throws Exception {
        anthropicUpstream.stubFor(WireMock.post(urlEqualTo("/v1/messages")).atPriority(5).willReturn(json("""
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"thinking","thinking":"I should look up the weather in Paris.",
                   "signature":"EqQBCkYIBRgCIkB0z0Jrc1Hr6qAYkqKmrEV4sQ=="},
                  {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":410,"output_tokens":62,
                 "cache_creation_input_tokens":0,"cache_read_input_tokens":0,"service_tier":"standard"}}""")));
        anthropicUpstream.stubFor(WireMock.post(urlEqualTo("/v1/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].type", WireMock.equalTo("tool_result")))
                .willReturn(json("""
                        {"id":"msg_02","type":"message","role":"assistant","model":"claude-upstream-1",
                         "content":[{"type":"text","text":"It is 18°C and sunny in Paris."}],"stop_reason":"end_turn",
                         "stop_sequence":null,"usage":{"input_tokens":520,"output_tokens":12}}""")));
        MessageCreateParams.Builder question = weatherQuestion("claude-up").maxTokens(2048).enabledThinking(1024);

        Message call = client.messages().create(question.build());
        assertThat(call.content().get(0).asThinking().signature()).isEqualTo("EqQBCkYIBRgCIkB0z0Jrc1Hr6qAYkqKmrEV4sQ==");
        assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock toolUse = onlyToolUse(call);
        assertThat(toolUse.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");

        Message answer = client.messages().create(question
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(toolResult(toolUse.id(), "18°C and sunny")))
                .build());

        assertThat(texts(answer)).containsExactly(PARIS_WEATHER);
        List<LoggedRequest> requests = anthropicUpstream.findAll(WireMock.postRequestedFor(urlEqualTo("/v1/messages")));
        assertThat(requests).hasSize(2);
        JsonNode sent = Json.parse(requests.get(1).getBodyAsString());
        assertThat(sent.get("model").asText()).isEqualTo("claude-upstream-1");
        assertThat(sent.at("/thinking")).isEqualTo(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
        assertThat(sent.at("/messages/1/content/0")).isEqualTo(Json.parse("{\"type\":\"thinking\","
                + "\"thinking\":\"I should look up the weather in Paris.\",\"signature\":\"EqQBCkYIBRgCIkB0z0Jrc1Hr6qAYkqKmrEV4sQ==\"}"));
        assertThat(sent.at("/messages/1/content/1/id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(sent.at("/messages/1/content/1/input")).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        assertThat(sent.at("/messages/2/role").asText()).isEqualTo("user");
        assertThat(sent.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(sent.at("/messages/2/content/0/content").asText()).isEqualTo("18°C and sunny");
        for (LoggedRequest request : requests) {
            assertThat(request.getHeader("x-api-key")).isEqualTo(ANTHROPIC_PROVIDER_KEY);
            assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(request.getBodyAsString()).doesNotContain(FULL_KEY);
            for (HttpHeader header : request.getHeaders().all()) {
                assertThat(header.values()).as(header.key()).noneMatch(v -> v.contains(FULL_KEY));
            }
        }
    }

    // ---------------------------------------------------------------- errors, as the SDK types them

    @Test
    void aWrongKeyIsAnUnauthorizedException() {
        withKey("gw-guess-0123456789", stranger -> {
            UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                    () -> stranger.messages().create(hello("local")));

            assertError(e, 401, ErrorType.AUTHENTICATION_ERROR);
            assertThat(e.getMessage()).doesNotContain("gw-guess-0123456789");
            assertThat(e.requestId()).isPresent();
            // a stream is refused the same way, before any event
            assertThatThrownBy(() -> {
                try (StreamResponse<RawMessageStreamEvent> s = stranger.messages().createStreaming(hello("local"))) {
                    s.stream().count();
                }
            }).isInstanceOf(UnauthorizedException.class);
        });
    }

    @Test
    void anUnknownModelIsANotFoundException() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> client.messages().create(hello("no-such-model")));

        assertError(e, 404, ErrorType.NOT_FOUND_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("no-such-model");
    }

    @Test
    void aKeyLimitedToTheLocalModelGetsAPermissionDeniedExceptionForAnother() {
        withKey(LOCAL_ONLY_KEY, localOnly -> {
            assertThat(texts(localOnly.messages().create(hello("local")))).containsExactly(HELLO);

            PermissionDeniedException e = catchThrowableOfType(PermissionDeniedException.class,
                    () -> localOnly.messages().create(hello("gpt-up")));

            assertError(e, 403, ErrorType.PERMISSION_ERROR);
            assertThat(openAiUpstream.getAllServeEvents()).isEmpty();
        });
    }

    @Test
    void anInvalidRequestIsABadRequestExceptionNamingTheField() {
        // this SDK version has no temperature setter; the field still travels as a body property
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> client.messages().create(hello("local").toBuilder()
                        .putAdditionalBodyProperty("temperature", JsonValue.from(3)).build()));

        assertError(e, 400, ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("temperature");
    }

    @Test
    void anUpstreamRateLimitIsARateLimitExceptionWithRetryAfter() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("retry-after", "7")
                .withBody("{\"error\":{\"message\":\"Rate limit reached for gpt-upstream-1 on requests per min (RPM): "
                        + "Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> client.messages().create(hello("gpt-up")));

        assertError(e, 429, ErrorType.RATE_LIMIT_ERROR);
        assertThat(e.headers().values("retry-after")).containsExactly("7");
    }

    @Test
    void aWrongProviderKeyIsTheOperatorsFaultNotTheClients() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-provi***********9c.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));

        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> client.messages().create(hello("gpt-up")));

        assertError(e, 500, ErrorType.API_ERROR);
        assertThat(e.body().toString()).doesNotContain("sk-provi");
    }

    @Test
    void anUpstreamErrorAfterTheFirstTextIsAnSseExceptionWhileIterating() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo(CHAT_COMPLETIONS)).willReturn(eventStream(
                "data: " + chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null) + "\n\n"
                        + "data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":null}}\n\n")));
        List<RawMessageStreamEvent> events = new ArrayList<>();

        SseException e = catchThrowableOfType(SseException.class, () -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(hello("gpt-up"))) {
                stream.stream().forEach(events::add);
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(ErrorType.OVERLOADED_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("overloaded");
        // the text before the failure did arrive, and no message_stop pretended the answer was complete
        Streamed partial = new Streamed(events, null);
        assertThat(partial.deltas(RawContentBlockDelta::isText, d -> d.asText().text())).containsExactly("Hel");
        assertThat(events.get(0).isMessageStart()).isTrue();
        assertThat(events).noneMatch(RawMessageStreamEvent::isMessageStop).noneMatch(RawMessageStreamEvent::isMessageDelta);
    }

    private static void assertError(AnthropicServiceException e, int status, ErrorType type) {
        assertThat(e).as("expected an error of type " + type).isNotNull();
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.type()).hasValue(type);
        assertThat(e.body().convert(JsonNode.class).get("type").asText()).isEqualTo("error");
        assertThat(e.apiMessage()).isPresent();
        assertThat(e.body().toString()).doesNotContain(FULL_KEY).doesNotContain(OPENAI_PROVIDER_KEY);
    }

    // ---------------------------------------------------------------- models

    @Test
    void theModelListHasTheFourModels() {
        List<ModelInfo> models = client.models().list().data();

        assertThat(models).extracting(ModelInfo::id).containsExactlyInAnyOrder("local", "gpt-up", "claude-up", "held");
        assertThat(models).extracting(ModelInfo::displayName).containsExactlyInAnyOrder("local", "gpt-up", "claude-up", "held");
        assertThat(models).extracting(ModelInfo::lifecycle).containsOnly(ModelInfo.Lifecycle.ACTIVE);
        withKey(LOCAL_ONLY_KEY, localOnly ->
                assertThat(localOnly.models().list().data()).extracting(ModelInfo::id).containsExactly("local"));
    }

    // ---------------------------------------------------------------- helpers

    private static MessageCreateParams hello(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("Hello").build();
    }

    private static MessageCreateParams.Builder weatherQuestion(String model) {
        return MessageCreateParams.builder()
                .model(model).maxTokens(256)
                .addTool(weatherTool())
                .addUserMessage("What is the weather in Paris?");
    }

    /** The get_weather tool of models/tiny-chat/expected.json. */
    private static Tool weatherTool() {
        return Tool.builder()
                .name("get_weather")
                .description("Get the current weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of(
                                        "type", "string", "description", "The city name")))
                                .build())
                        .addRequired("city")
                        .build())
                .build();
    }

    private static ContentBlockParam toolResult(String toolUseId, String content) {
        return ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(toolUseId).content(content).build());
    }

    private static List<String> texts(Message message) {
        return message.content().stream().filter(ContentBlock::isText).map(b -> b.asText().text()).toList();
    }

    private static ToolUseBlock onlyToolUse(Message message) {
        List<ToolUseBlock> uses = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
        assertThat(uses).hasSize(1);
        return uses.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> input(ToolUseBlock toolUse) {
        return toolUse._input().convert(Map.class);
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = openAiUpstream.findAll(WireMock.postRequestedFor(urlEqualTo(CHAT_COMPLETIONS)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    /** The events of one streamed answer and the message the SDK's accumulator made of them. */
    private record Streamed(List<RawMessageStreamEvent> events, Message message) {

        List<String> deltas(Predicate<RawContentBlockDelta> kind, Function<RawContentBlockDelta, String> text) {
            return events.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
                    .map(e -> e.asContentBlockDelta().delta()).filter(kind).map(text).toList();
        }
    }

    private static Streamed stream(AnthropicClient sdk, MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(event -> events.add(accumulator.accumulate(event)));
        }
        return new Streamed(events, accumulator.message());
    }

    /**
     * message_start first; content blocks one at a time, indexes counting up from 0, each delta inside its
     * block; then message_delta and message_stop.
     */
    private static void assertValidEventOrder(List<RawMessageStreamEvent> events) {
        assertThat(events).hasSizeGreaterThanOrEqualTo(3);
        assertThat(events.get(0).isMessageStart()).as("first event is message_start").isTrue();
        assertThat(events.get(events.size() - 2).isMessageDelta()).as("message_delta before the end").isTrue();
        assertThat(events.get(events.size() - 1).isMessageStop()).as("last event is message_stop").isTrue();
        Long open = null;
        long next = 0;
        for (RawMessageStreamEvent event : events.subList(1, events.size() - 2)) {
            if (event.isContentBlockStart()) {
                assertThat(open).as("a block starts while another is open").isNull();
                assertThat(event.asContentBlockStart().index()).isEqualTo(next);
                open = next++;
            } else if (event.isContentBlockDelta()) {
                assertThat(event.asContentBlockDelta().index()).as("delta of the open block").isEqualTo(open);
            } else if (event.isContentBlockStop()) {
                assertThat(event.asContentBlockStop().index()).as("stop of the open block").isEqualTo(open);
                open = null;
            } else {
                throw new AssertionError("unexpected event between message_start and message_delta: " + event);
            }
        }
        assertThat(open).as("every block was closed").isNull();
        assertThat(next).as("at least one content block").isPositive();
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder eventStream(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-w1\",\"object\":\"chat.completion.chunk\",\"created\":1737000000,\"model\":\"gpt-upstream-1\","
                + "\"system_fingerprint\":\"fp_w1\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
                + "\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}],\"usage\":null}";
    }

    private static String sse(String... data) {
        StringBuilder out = new StringBuilder();
        for (String d : data) {
            out.append("data: ").append(d).append("\n\n");
        }
        return out.append("data: [DONE]\n\n").toString();
    }
}
