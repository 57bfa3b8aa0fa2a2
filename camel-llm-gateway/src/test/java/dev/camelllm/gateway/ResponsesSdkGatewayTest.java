package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.EasyInputMessage;
import dev.camelllm.spi.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official OpenAI Java SDK's {@code responses()} client in front of the gateway's {@code POST /v1/responses}:
 * the local ONNX model (plain, streamed with the semantic events, a tool round trip with
 * {@code function_call_output}), an Anthropic upstream (thinking as a reasoning item whose
 * {@code encrypted_content} is the signature, which comes back to Anthropic unchanged in the next turn), a
 * Chat Completions upstream, the refusals of what needs stored state, and the SDK's typed errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponsesSdkGatewayTest extends GatewayTestSupport {

    private static final String HELLO_ANSWER = "Hello! How can I help you today?";
    private static final String WEATHER_QUESTION = "What is the weather in Paris?";
    private static final String WEATHER_RESULT = "18°C and sunny";
    private static final String WEATHER_ANSWER = "It is 18°C and sunny in Paris.";
    private static final String WEATHER_PARAMETERS = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"description\":\"The city name\"}},\"required\":[\"city\"]}";
    private static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
    private static final String TOOL_USE_ID = "toolu_01A09q90qw90lq917835lq9";

    private static OpenAIClient client;
    private static OpenAIClient localOnlyClient;
    private static OpenAIClient strangerClient;

    @BeforeAll
    static void startClients() {
        client = client(FULL_KEY);
        localOnlyClient = client(LOCAL_ONLY_KEY);
        strangerClient = client("gw-wrong-key-000000000000");
    }

    @AfterAll
    static void closeClients() {
        for (OpenAIClient c : new OpenAIClient[] {client, localOnlyClient, strangerClient}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static FunctionTool weatherTool() {
        try {
            return FunctionTool.builder().name("get_weather").description("Get the current weather in a city")
                    .parameters(ObjectMappers.jsonMapper().readValue(WEATHER_PARAMETERS, FunctionTool.Parameters.class))
                    .strict(false).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Response response) {
        StringBuilder sb = new StringBuilder();
        response.output().forEach(item -> item.message().ifPresent(m -> m.content()
                .forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text())))));
        return sb.toString();
    }

    private static List<ResponseFunctionToolCall> calls(Response response) {
        return response.output().stream().flatMap(i -> i.functionCall().stream()).toList();
    }

    /** The answer's items as the next turn's input, the way a client keeps a conversation without a store. */
    private static List<ResponseInputItem> asInput(Response response) {
        List<ResponseInputItem> items = new ArrayList<>();
        for (ResponseOutputItem item : response.output()) {
            item.reasoning().ifPresent(r -> items.add(ResponseInputItem.ofReasoning(r)));
            item.message().ifPresent(m -> items.add(ResponseInputItem.ofResponseOutputMessage(m)));
            item.functionCall().ifPresent(f -> items.add(ResponseInputItem.ofFunctionCall(f)));
        }
        return items;
    }

    private static ResponseInputItem user(String text) {
        return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER).content(text).build());
    }

    private static ResponseInputItem toolOutput(String callId, String output) {
        return ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(callId).output(output).build());
    }

    /** Streams a request and returns the events, checking that their sequence numbers count 0, 1, 2, … */
    private static List<ResponseStreamEvent> streamEvents(ResponseCreateParams params, ResponseAccumulator accumulator) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(e -> events.add(accumulator.accumulate(e)));
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode json = Json.MAPPER.valueToTree(ObjectMappers.jsonMapper().convertValue(events.get(i), Object.class));
            assertThat(json.path("sequence_number").asInt(-1)).as("sequence_number of event %d", i).isEqualTo(i);
        }
        return events;
    }

    // ---------------------------------------------------------------- the local model

    @Test
    void localModelAnswersAResponsesClient() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("local").input("Hello").build())
                .validate();

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.output()).hasSize(1);
        assertThat(response.output().get(0).message().orElseThrow().id()).startsWith("msg_");
        assertThat(text(response)).isEqualTo(HELLO_ANSWER);
        ResponseUsage usage = response.usage().orElseThrow();
        assertThat(usage.inputTokens()).isEqualTo(13);
        assertThat(usage.outputTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    }

    @Test
    void localModelStreamsSemanticEventsInSequence() {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<String> deltas = new ArrayList<>();

        List<ResponseStreamEvent> events = streamEvents(
                ResponseCreateParams.builder().model("local").input("Hello").build(), accumulator);

        events.forEach(e -> e.outputTextDelta().ifPresent(d -> deltas.add(d.delta())));
        assertThat(events.get(0).created()).isPresent();
        assertThat(events.get(events.size() - 1).completed()).isPresent();
        assertThat(String.join("", deltas)).isEqualTo(HELLO_ANSWER);
        assertThat(deltas.size()).isGreaterThan(1);
        Response whole = accumulator.response();
        assertThat(text(whole)).isEqualTo(HELLO_ANSWER);
        assertThat(whole.usage().orElseThrow().inputTokens()).isEqualTo(13);
        // every delta names the item that was added before it, at the same output index
        String itemId = events.stream().flatMap(e -> e.outputItemAdded().stream()).findFirst().orElseThrow()
                .item().message().orElseThrow().id();
        assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()))
                .allSatisfy(d -> assertThat(d.itemId()).isEqualTo(itemId))
                .allSatisfy(d -> assertThat(d.outputIndex()).isZero());
    }

    @Test
    void localModelToolCallRoundTripWithFunctionCallOutput() {
        ResponseCreateParams first = ResponseCreateParams.builder().model("local").input(WEATHER_QUESTION)
                .addTool(weatherTool()).build();

        Response turn1 = client.responses().create(first).validate();

        List<ResponseFunctionToolCall> calls = calls(turn1);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(parse(calls.get(0).arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));
        assertThat(calls.get(0).callId()).isNotBlank();

        List<ResponseInputItem> input = new ArrayList<>();
        input.add(user(WEATHER_QUESTION));
        input.addAll(asInput(turn1));
        input.add(toolOutput(calls.get(0).callId(), WEATHER_RESULT));
        Response turn2 = client.responses().create(ResponseCreateParams.builder().model("local").inputOfResponse(input)
                .addTool(weatherTool()).build()).validate();

        assertThat(text(turn2)).isEqualTo(WEATHER_ANSWER);
        assertThat(calls(turn2)).isEmpty();
    }

    @Test
    void localModelStreamedToolCall() {
        ResponseAccumulator accumulator = ResponseAccumulator.create();

        List<ResponseStreamEvent> events = streamEvents(ResponseCreateParams.builder().model("local").input(WEATHER_QUESTION)
                .addTool(weatherTool()).build(), accumulator);

        assertThat(events.stream().flatMap(e -> e.functionCallArgumentsDone().stream())).hasSize(1);
        List<ResponseFunctionToolCall> calls = calls(accumulator.response());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(parse(calls.get(0).arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));
    }

    // ---------------------------------------------------------------- an Anthropic upstream

    @Test
    void anthropicThinkingIsAReasoningItemWhoseEncryptedContentReturnsAsTheSignature() {
        stubAnthropic("""
                {"id":"msg_01Thk","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"thinking","thinking":"The user wants the weather.","signature":"%s"},
                            {"type":"text","text":"I'll look that up."},
                            {"type":"tool_use","id":"%s","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":384,"cache_read_input_tokens":100,"output_tokens":62}}
                """.formatted(SIGNATURE, TOOL_USE_ID));
        ResponseCreateParams.Builder params = ResponseCreateParams.builder().model("claude-up")
                .instructions("You are a weather assistant.").input(WEATHER_QUESTION).addTool(weatherTool())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build()).maxOutputTokens(4096L);

        Response turn1 = client.responses().create(params.build()).validate();

        ResponseReasoningItem reasoning = turn1.output().get(0).reasoning().orElseThrow();
        assertThat(reasoning.encryptedContent()).hasValue(SIGNATURE);
        assertThat(reasoning.summary()).extracting(ResponseReasoningItem.Summary::text)
                .containsExactly("The user wants the weather.");
        assertThat(text(turn1)).isEqualTo("I'll look that up.");
        assertThat(calls(turn1)).extracting(ResponseFunctionToolCall::callId).containsExactly(TOOL_USE_ID);
        // Anthropic counts cache reads beside input_tokens; the Responses API counts them within
        assertThat(turn1.usage().orElseThrow().inputTokens()).isEqualTo(484);
        assertThat(turn1.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(100);
        JsonNode sent1 = upstreamBody();
        assertThat(sent1.path("system").asText()).isEqualTo("You are a weather assistant.");
        assertThat(sent1.path("thinking")).isEqualTo(parse("{\"type\":\"enabled\",\"budget_tokens\":2048}"));

        anthropicUpstream.resetAll();
        stubAnthropic("""
                {"id":"msg_01Bq","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"text","text":"It is 18°C and sunny in Paris."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":470,"output_tokens":14}}
                """);
        List<ResponseInputItem> input = new ArrayList<>();
        input.add(user(WEATHER_QUESTION));
        input.addAll(asInput(turn1));
        input.add(toolOutput(TOOL_USE_ID, WEATHER_RESULT));

        Response turn2 = client.responses().create(params.inputOfResponse(input).build()).validate();

        assertThat(text(turn2)).isEqualTo(WEATHER_ANSWER);
        assertThat(upstreamBody().get("messages")).isEqualTo(parse("""
                [{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]},
                 {"role":"assistant","content":[
                   {"type":"thinking","thinking":"The user wants the weather.","signature":"%s"},
                   {"type":"text","text":"I'll look that up."},
                   {"type":"tool_use","id":"%s","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"18°C and sunny"}]}]
                """.formatted(SIGNATURE, TOOL_USE_ID, TOOL_USE_ID)));
    }

    @Test
    void anthropicStreamReachesTheResponsesClientAsReasoningTextAndUsage() {
        anthropicUpstream.stubFor(WireMock.post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(String.join("",
                        event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                                + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-upstream-1\",\"stop_reason\":null,"
                                + "\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}"),
                        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                        delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"The user wants\"}"),
                        delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" the capital.\"}"),
                        delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}"),
                        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                        delta(1, "{\"type\":\"text_delta\",\"text\":\"Paris.\"}"),
                        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                        event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                                + "\"usage\":{\"output_tokens\":42}}"),
                        event("message_stop", "{\"type\":\"message_stop\"}")))));
        ResponseAccumulator accumulator = ResponseAccumulator.create();

        List<ResponseStreamEvent> events = streamEvents(ResponseCreateParams.builder().model("claude-up")
                .input("What is the capital of France?").reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .maxOutputTokens(4096L).build(), accumulator);

        assertThat(events.stream().flatMap(e -> e.reasoningSummaryTextDelta().stream()).map(d -> d.delta()))
                .containsExactly("The user wants", " the capital.");
        Response whole = accumulator.response();
        assertThat(whole.output()).hasSize(2);
        assertThat(whole.output().get(0).reasoning().orElseThrow().encryptedContent()).hasValue(SIGNATURE);
        assertThat(text(whole)).isEqualTo("Paris.");
        assertThat(whole.usage().orElseThrow().inputTokens()).isEqualTo(21);
        assertThat(whole.usage().orElseThrow().outputTokens()).isEqualTo(42);
    }

    // ---------------------------------------------------------------- a Chat Completions upstream

    @Test
    void chatCompletionsUpstreamAnswersAResponsesClientWithLengthAsIncomplete() {
        openAiUpstream.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(json("""
                        {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-upstream-1",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Once upon a"},"finish_reason":"length"}],
                         "usage":{"prompt_tokens":19,"completion_tokens":3,"total_tokens":22,
                                  "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}
                        """))));

        Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-up")
                .input("Tell me a story").maxOutputTokens(3L).build()).validate();

        assertThat(response.status()).hasValue(ResponseStatus.INCOMPLETE);
        assertThat(response.incompleteDetails().orElseThrow().reason()).hasValue(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS);
        assertThat(text(response)).isEqualTo("Once upon a");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(19);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(4);
        LoggedRequest sent = openAiUpstream.getAllServeEvents().get(0).getRequest();
        assertThat(parse(sent.getBodyAsString()).path("max_completion_tokens").asInt()).isEqualTo(3);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + OPENAI_PROVIDER_KEY);
    }

    // ---------------------------------------------------------------- refusals and errors

    @Test
    void previousResponseIdAndStoreAreRefusedWithAClearBadRequest() {
        BadRequestException previous = catchThrowableOfType(BadRequestException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model("local").input("Hello").previousResponseId("resp_123").build()));
        BadRequestException store = catchThrowableOfType(BadRequestException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model("local").input("Hello").store(true).build()));

        assertThat(previous.getMessage()).contains("previous_response_id is not supported");
        assertThat(previous.param()).hasValue("previous_response_id");
        assertThat(store.getMessage()).contains("store: true is not supported");
    }

    @Test
    void unknownModelWrongKeyAndForbiddenModelAreTheSdksTypedErrors() {
        NotFoundException unknown = catchThrowableOfType(NotFoundException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model("no-such-model").input("Hello").build()));
        UnauthorizedException stranger = catchThrowableOfType(UnauthorizedException.class, () -> strangerClient.responses()
                .create(ResponseCreateParams.builder().model("local").input("Hello").build()));
        PermissionDeniedException forbidden = catchThrowableOfType(PermissionDeniedException.class, () -> localOnlyClient
                .responses().create(ResponseCreateParams.builder().model("claude-up").input("Hello").build()));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(anthropicUpstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void aHostedToolIsRefusedByName() throws Exception {
        HttpResponse<String> r = post("/v1/responses", FULL_KEY,
                "{\"model\":\"local\",\"input\":\"Hi\",\"tools\":[{\"type\":\"web_search\"}]}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = parse(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("tools[0].type");
        assertThat(error.path("message").asText()).contains("function tools only");
    }

    @Test
    void anUpstreamCutMidStreamEndsWithErrorAndResponseFailedNeverCompleted() throws Exception {
        held.then(ex -> {
            ex.startStream(200);
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"held-model\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Half\"},\"finish_reason\":null}]}\n\n");
            ex.cut();
        });

        HttpResponse<String> r = post("/v1/responses", FULL_KEY, "{\"model\":\"held\",\"input\":\"Hi\",\"stream\":true}");

        assertThat(r.statusCode()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        for (String frame : r.body().split("\n\n")) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ")) {
                    types.add(parse(line.substring(6)).path("type").asText());
                }
            }
        }
        assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta");
        assertThat(types).endsWith("error", "response.failed");
        assertThat(types).doesNotContain("response.completed");
    }

    @Test
    void theKeysRequestLimitCountsResponsesCallsAndAnswersInTheOpenAiErrorFormat() throws Exception {
        String body = "{\"model\":\"local\",\"input\":\"Hello\"}";
        assertThat(post("/v1/responses", LIMITED_KEY, body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/responses", LIMITED_KEY, body).statusCode()).isEqualTo(200);

        HttpResponse<String> third = post("/v1/responses", LIMITED_KEY, body);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).isPresent();
        assertThat(parse(third.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }

    // ---------------------------------------------------------------- helpers

    private static void stubAnthropic(String body) {
        anthropicUpstream.stubFor(WireMock.post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(json(body))));
    }

    private static JsonNode upstreamBody() {
        assertThat(anthropicUpstream.getAllServeEvents()).hasSize(1);
        return parse(anthropicUpstream.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static String delta(int index, String delta) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    private static String json(String text) {
        return Json.write(parse(text));
    }
}
