package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import dev.camelllm.spi.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official OpenAI Java SDK as a real client of the gateway on loopback: the local ONNX model (plain,
 * streamed, thinking, a tool round trip), an Anthropic upstream behind the OpenAI format (text, thinking as
 * {@code reasoning_content}, streaming, a tool round trip checked on the upstream's side), the SDK's typed
 * errors, and the model list.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkGatewayTest extends GatewayTestSupport {

    private static final String HELLO_ANSWER = "Hello! How can I help you today?";
    private static final String WEATHER_QUESTION = "What is the weather in Paris?";
    private static final String WEATHER_RESULT = "18°C and sunny";
    private static final String WEATHER_ANSWER = "It is 18°C and sunny in Paris.";
    /** The tool of the tiny model's tool cases, key order included: the model answers only that exact prompt. */
    private static final String WEATHER_PARAMETERS = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"description\":\"The city name\"}},\"required\":[\"city\"]}";
    private static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
    private static final String TOOL_USE_ID = "toolu_01A09q90qw90lq917835lq9";

    private static final String WRONG_KEY = "gw-wrong-key-000000000000";

    private static OpenAIClient client;
    private static OpenAIClient localOnlyClient;
    private static OpenAIClient strangerClient;

    @BeforeAll
    static void startClients() {
        client = client(FULL_KEY);
        localOnlyClient = client(LOCAL_ONLY_KEY);
        strangerClient = client(WRONG_KEY);
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
        return OpenAIOkHttpClient.builder()
                .baseUrl(gateway + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question);
    }

    // ---------------------------------------------------------------- the local model

    @Test
    void localModelAnswersWithTextStopUsageAndTheGatewayHeaders() {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(ask("local", "Hello").build());

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("onnx");
        List<String> overhead = raw.headers().values(GatewayHeaders.OVERHEAD);
        assertThat(overhead).hasSize(1);
        assertThat(Double.parseDouble(overhead.get(0))).isGreaterThanOrEqualTo(0.0);
        ChatCompletion completion = raw.parse().validate();
        assertThat(completion.model()).isEqualTo("local");
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).hasValue(HELLO_ANSWER);
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(13); // the "hello" case's prompt_ids
        assertThat(usage.completionTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void localModelStreamsTheSameTextInSeveralChunksWithAFinalUsageChunk() {
        ChatCompletionCreateParams params = ask("local", "Hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        StringBuilder text = new StringBuilder();
        int contentChunks = 0;
        List<CompletionUsage> usages = new ArrayList<>();
        ChatCompletionChunk last = null;

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                accumulator.accumulate(chunk.validate());
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    String delta = c.delta().content().orElse("");
                    if (!delta.isEmpty()) {
                        text.append(delta);
                        contentChunks++;
                    }
                }
                last = chunk;
            }
        }

        assertThat(text).hasToString(HELLO_ANSWER);
        assertThat(contentChunks).isGreaterThan(1);
        // the usage chunk is the last one, with no choices
        assertThat(usages).hasSize(1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).hasValue(usages.get(0));
        assertThat(usages.get(0).promptTokens()).isEqualTo(13);
        assertThat(usages.get(0).completionTokens()).isPositive();
        ChatCompletion whole = accumulator.chatCompletion();
        assertThat(whole.choices().get(0).message().content()).hasValue(HELLO_ANSWER);
        assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void localModelThinksWhenTheClientAsksForReasoning() {
        ChatCompletion completion = client.chat().completions()
                .create(ask("local", "What is the capital of France?").reasoningEffort(ReasoningEffort.LOW).build());

        ChatCompletionMessage message = completion.choices().get(0).message();
        assertThat(message.content()).hasValue("The capital of France is Paris.");
        assertThat(reasoningContent(message)).isEqualTo("The user asks for the capital of France.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void localModelStreamsItsThinkingAsReasoningContentDeltasBeforeTheText() {
        ChatCompletionCreateParams params = ask("local", "What is the capital of France?")
                .reasoningEffort(ReasoningEffort.LOW).build();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<String> order = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().map(ChatCompletionChunk::validate).flatMap(c -> c.choices().stream()).forEach(c -> {
                JsonValue r = c.delta()._additionalProperties().get("reasoning_content");
                if (r != null) {
                    reasoning.append(r.asStringOrThrow());
                    order.add("reasoning");
                }
                c.delta().content().filter(t -> !t.isEmpty()).ifPresent(t -> {
                    text.append(t);
                    order.add("text");
                });
            });
        }

        assertThat(reasoning).hasToString("The user asks for the capital of France.");
        assertThat(text).hasToString("The capital of France is Paris.");
        assertThat(order.indexOf("text")).isGreaterThan(order.lastIndexOf("reasoning"));
    }

    @Test
    void localModelToolCallRoundTrip() {
        ChatCompletionCreateParams.Builder conversation = ask("local", WEATHER_QUESTION).addFunctionTool(weatherTool());

        ChatCompletion first = client.chat().completions().create(conversation.build()).validate();

        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = onlyCall(choice.message().toolCalls().orElseThrow());
        assertThat(call.id()).isNotBlank();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(parse(call.function().arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));

        ChatCompletion second = client.chat().completions().create(conversation
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(WEATHER_RESULT).build())
                .build()).validate();

        assertThat(second.choices().get(0).message().content()).hasValue(WEATHER_ANSWER);
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void localModelStreamedToolCallRoundTrip() {
        ChatCompletionCreateParams.Builder conversation = ask("local", WEATHER_QUESTION).addFunctionTool(weatherTool());

        ChatCompletion first = streamWhole(conversation.build());

        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = onlyCall(choice.message().toolCalls().orElseThrow());
        assertThat(call.id()).isNotBlank();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(parse(call.function().arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));

        ChatCompletion second = streamWhole(conversation
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(WEATHER_RESULT).build())
                .build());

        assertThat(second.choices().get(0).message().content()).hasValue(WEATHER_ANSWER);
        // the accumulator always sets a tool call list; an empty one means none arrived
        assertThat(second.choices().get(0).message().toolCalls().orElseThrow()).isEmpty();
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    // ---------------------------------------------------------------- an Anthropic upstream

    @Test
    void anthropicUpstreamAnswersAnOpenAiClient() {
        stubAnthropic(json("""
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"text","text":"Bonjour! How can I help?"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}
                """));

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(ask("claude-up", "Hello").addSystemMessage("Answer in French.").build());

        assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("anthropic");
        ChatCompletion completion = raw.parse().validate();
        assertThat(completion.model()).isEqualTo("claude-up");
        assertThat(completion.choices().get(0).message().content()).hasValue("Bonjour! How can I help?");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(reasoningProperty(completion.choices().get(0).message())).isNull();
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(12);
        assertThat(usage.completionTokens()).isEqualTo(9);
        assertThat(usage.totalTokens()).isEqualTo(21);

        JsonNode sent = upstreamBody(onlyUpstreamRequest());
        assertThat(sent.get("model").asText()).isEqualTo("claude-upstream-1");
        assertThat(sent.get("system").asText()).isEqualTo("Answer in French.");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(128);
        assertThat(sent.get("messages")).isEqualTo(parse("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}]"));
    }

    @Test
    void anthropicThinkingReachesTheOpenAiClientAsReasoningContent() {
        stubAnthropic(json("""
                {"id":"msg_01Thk","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"thinking","thinking":"The user asks for the capital of France.","signature":"%s"},
                            {"type":"text","text":"The capital of France is Paris."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":55}}
                """.formatted(SIGNATURE)));

        ChatCompletion completion = client.chat().completions().create(ask("claude-up", "What is the capital of France?")
                .reasoningEffort(ReasoningEffort.LOW).maxCompletionTokens(4096).build()).validate();

        ChatCompletionMessage message = completion.choices().get(0).message();
        assertThat(message.content()).hasValue("The capital of France is Paris.");
        assertThat(reasoningContent(message)).isEqualTo("The user asks for the capital of France.");
        assertThat(completion.toString()).doesNotContain(SIGNATURE);
        // reasoning_effort low is a 2048-token budget, inside the client's max_completion_tokens
        JsonNode sent = upstreamBody(onlyUpstreamRequest());
        assertThat(sent.get("thinking")).isEqualTo(parse("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(4096);
    }

    @Test
    void anthropicStreamReachesTheOpenAiClientAsTextReasoningAndUsageDeltas() {
        stubAnthropicStream(sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01Strm","type":"message","role":"assistant",
                         "content":[],"model":"claude-upstream-1","stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""),
                event("content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                event("ping", "{\"type\":\"ping\"}"),
                blockDelta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"The user wants\"}"),
                blockDelta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" the capital.\"}"),
                blockDelta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                blockDelta(1, "{\"type\":\"text_delta\",\"text\":\"The capital\"}"),
                blockDelta(1, "{\"type\":\"text_delta\",\"text\":\" of France is Paris.\"}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":42}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        ChatCompletionCreateParams params = ask("claude-up", "What is the capital of France?")
                .reasoningEffort(ReasoningEffort.LOW).maxCompletionTokens(4096)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<String> textDeltas = new ArrayList<>();
        List<String> reasoningDeltas = new ArrayList<>();
        List<CompletionUsage> usages = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().map(ChatCompletionChunk::validate).forEach(chunk -> {
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().content().filter(t -> !t.isEmpty()).ifPresent(textDeltas::add);
                    JsonValue reasoning = c.delta()._additionalProperties().get("reasoning_content");
                    if (reasoning != null) {
                        reasoningDeltas.add(reasoning.asStringOrThrow());
                    }
                    c.finishReason().ifPresent(finishes::add);
                }
            });
        }

        assertThat(reasoningDeltas).containsExactly("The user wants", " the capital.");
        assertThat(textDeltas).containsExactly("The capital", " of France is Paris.");
        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(usages).hasSize(1);
        assertThat(usages.get(0).promptTokens()).isEqualTo(21); // message_start's input_tokens
        assertThat(usages.get(0).completionTokens()).isEqualTo(42); // message_delta's output_tokens
        assertThat(usages.get(0).totalTokens()).isEqualTo(63);
        JsonNode sent = upstreamBody(onlyUpstreamRequest());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("thinking").get("budget_tokens").asInt()).isEqualTo(2048);
    }

    @Test
    void anthropicToolUseRoundTripReachesTheUpstreamInAnthropicFormatWithTheProviderKey() {
        stubAnthropic(json("""
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"text","text":"I'll look that up."},
                            {"type":"tool_use","id":"%s","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":384,"output_tokens":62}}
                """.formatted(TOOL_USE_ID)));
        ChatCompletionCreateParams.Builder conversation = ask("claude-up", WEATHER_QUESTION)
                .addSystemMessage("You are a weather assistant.")
                .addFunctionTool(weatherTool());

        ChatCompletion first = client.chat().completions().create(conversation.build()).validate();

        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).hasValue("I'll look that up.");
        ChatCompletionMessageFunctionToolCall call = onlyCall(choice.message().toolCalls().orElseThrow());
        assertThat(call.id()).isEqualTo(TOOL_USE_ID);
        assertThat(call.function().name()).isEqualTo("get_weather");
        // the SDK types arguments as a string: the upstream's input object arrives serialized
        assertThat(call.function()._arguments().asString()).isPresent();
        assertThat(parse(call.function().arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));

        anthropicUpstream.resetAll();
        stubAnthropic(json("""
                {"id":"msg_01Bq","type":"message","role":"assistant","model":"claude-upstream-1",
                 "content":[{"type":"text","text":"It is 18°C and sunny in Paris."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":470,"output_tokens":14}}
                """));

        ChatCompletion second = client.chat().completions().create(conversation
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(WEATHER_RESULT).build())
                .build()).validate();

        assertThat(second.choices().get(0).message().content()).hasValue(WEATHER_ANSWER);
        LoggedRequest upstream = onlyUpstreamRequest();
        assertThat(upstream.getHeader("x-api-key")).isEqualTo(ANTHROPIC_PROVIDER_KEY);
        assertThat(upstream.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(upstream.containsHeader("Authorization")).isFalse();
        upstream.getHeaders().all().forEach(h -> assertThat(h.values()).noneMatch(v -> v.contains(FULL_KEY)));
        JsonNode sent = upstreamBody(upstream);
        assertThat(sent.toString()).doesNotContain(FULL_KEY);
        assertThat(sent.get("system").asText()).isEqualTo("You are a weather assistant.");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(128);
        assertThat(sent.get("tools")).isEqualTo(parse("[{\"name\":\"get_weather\",\"description\":"
                + "\"Get the current weather in a city\",\"input_schema\":" + WEATHER_PARAMETERS + "}]"));
        assertThat(sent.get("messages")).isEqualTo(parse("""
                [{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"I'll look that up."},
                   {"type":"tool_use","id":"%s","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"18°C and sunny"}]}]
                """.formatted(TOOL_USE_ID, TOOL_USE_ID)));
    }

    @Test
    void anthropicStreamedToolUseReachesTheOpenAiClientAsToolCallDeltas() {
        stubAnthropicStream(sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01Tls","type":"message","role":"assistant",
                         "content":[],"model":"claude-upstream-1","stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":384,"output_tokens":1}}}"""),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"" + TOOL_USE_ID + "\",\"name\":\"get_weather\",\"input\":{}}}"),
                blockDelta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}"),
                blockDelta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}"),
                blockDelta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));

        ChatCompletion whole = streamWhole(ask("claude-up", WEATHER_QUESTION).addFunctionTool(weatherTool()).build());

        ChatCompletion.Choice choice = whole.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = onlyCall(choice.message().toolCalls().orElseThrow());
        assertThat(call.id()).isEqualTo(TOOL_USE_ID);
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(parse(call.function().arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));
        assertThat(whole.usage().orElseThrow().promptTokens()).isEqualTo(384);
        assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(40);
    }

    // ---------------------------------------------------------------- errors, as the SDK types them

    @Test
    void aWrongKeyIsTheSdksUnauthorizedException() {
        UnauthorizedException e = catchThrowableOfType(
                () -> strangerClient.chat().completions().create(ask("local", "Hello").build()), UnauthorizedException.class);

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.type()).hasValue("authentication_error");
        assertThat(e.code()).hasValue("invalid_api_key");
        assertThat(e.getMessage()).doesNotContain(WRONG_KEY);
    }

    @Test
    void anUnknownModelIsTheSdksNotFoundException() {
        NotFoundException e = catchThrowableOfType(
                () -> client.chat().completions().create(ask("no-such-model", "Hello").build()), NotFoundException.class);

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.code()).hasValue("model_not_found");
        assertThat(e.param()).hasValue("model");
        assertThat(errorMessage(e)).contains("no-such-model");
    }

    @Test
    void aKeyLimitedToTheLocalModelGetsTheSdksPermissionDeniedExceptionForAnother() {
        PermissionDeniedException e = catchThrowableOfType(
                () -> localOnlyClient.chat().completions().create(ask("gpt-up", "Hello").build()),
                PermissionDeniedException.class);

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.type()).hasValue("permission_error");
        assertThat(e.code()).hasValue("model_not_allowed");
        assertThat(openAiUpstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void anInvalidRequestIsTheSdksBadRequestExceptionNamingTheField() {
        BadRequestException e = catchThrowableOfType(
                () -> client.chat().completions().create(ask("local", "Hello").temperature(5.0).build()),
                BadRequestException.class);

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.type()).hasValue("invalid_request_error");
        assertThat(e.param()).hasValue("temperature");
        assertThat(errorMessage(e)).isEqualTo("temperature must be a number from 0 to 2");
    }

    @Test
    void anUpstreamRateLimitIsTheSdksRateLimitExceptionWithRetryAfter() {
        stubAnthropicError(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                "retry-after", "7");

        RateLimitException e = catchThrowableOfType(
                () -> client.chat().completions().create(ask("claude-up", "Hello").build()), RateLimitException.class);

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.type()).hasValue("rate_limit_error");
        assertThat(e.headers().values("retry-after")).containsExactly("7");
    }

    @Test
    void aProviderKeyTheUpstreamRefusesIsAServerErrorNotTheClientsUnauthorized() {
        stubAnthropicError(401, "authentication_error", "invalid x-api-key");

        InternalServerException e = catchThrowableOfType(
                () -> client.chat().completions().create(ask("claude-up", "Hello").build()), InternalServerException.class);

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.type()).hasValue("server_error");
        assertThat(e.getMessage()).doesNotContain(ANTHROPIC_PROVIDER_KEY).doesNotContain("x-api-key");
    }

    @Test
    void anUpstreamErrorMidStreamIsAnSdkExceptionAfterTheFirstText() {
        held.then(ex -> {
            ex.startStream(200);
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"held-model\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n");
            ex.send("data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}\n\n");
            ex.endStream();
        });
        StringBuilder text = new StringBuilder();

        OpenAIServiceException e = catchThrowableOfType(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(ask("held", "Hi").build())) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
            }
        }, OpenAIServiceException.class);

        assertThat(text).hasToString("Hel");
        assertThat(e).isInstanceOf(SseException.class);
        assertThat(errorMessage(e)).contains("overloaded");
    }

    // ---------------------------------------------------------------- the model list

    @Test
    void theModelListHasTheFourModels() {
        List<Model> models = client.models().list().data();

        assertThat(models).extracting(Model::id).containsExactlyInAnyOrder("local", "gpt-up", "claude-up", "held");
        models.forEach(Model::validate);
        assertThat(localOnlyClient.models().list().data()).extracting(Model::id).containsExactly("local");
    }

    // ---------------------------------------------------------------- helpers

    private static FunctionDefinition weatherTool() {
        try {
            return FunctionDefinition.builder()
                    .name("get_weather")
                    .description("Get the current weather in a city")
                    .parameters(ObjectMappers.jsonMapper().readValue(WEATHER_PARAMETERS, FunctionParameters.class))
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A streamed answer as the SDK's accumulator rebuilds it. */
    private static ChatCompletion streamWhole(ChatCompletionCreateParams params) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        ChatCompletionCreateParams withUsage = params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(withUsage)) {
            stream.stream().map(ChatCompletionChunk::validate).forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    private static ChatCompletionMessageFunctionToolCall onlyCall(List<ChatCompletionMessageToolCall> calls) {
        assertThat(calls).hasSize(1);
        return calls.get(0).asFunction();
    }

    private static JsonValue reasoningProperty(ChatCompletionMessage message) {
        return message._additionalProperties().get("reasoning_content");
    }

    private static String reasoningContent(ChatCompletionMessage message) {
        JsonValue reasoning = reasoningProperty(message);
        assertThat(reasoning).as("reasoning_content").isNotNull();
        return reasoning.asStringOrThrow();
    }

    /** The {@code error.message} the gateway sent: the SDK keeps the {@code error} object as the body. */
    private static String errorMessage(OpenAIServiceException e) {
        return e.body().convert(JsonNode.class).get("message").asText();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    /** Compact JSON, so that text blocks can be laid out for reading. */
    private static String json(String text) {
        return Json.write(parse(text));
    }

    private static void stubAnthropic(String body) {
        anthropicUpstream.stubFor(messagesEndpoint()
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("request-id", "req_upstream_1").withBody(body)));
    }

    /** The Anthropic upstream's POST /v1/messages (WireMock's post(), which the base class's post() hides). */
    private static MappingBuilder messagesEndpoint() {
        return WireMock.post(urlEqualTo("/v1/messages"));
    }

    private static void stubAnthropicError(int status, String type, String message, String... headers) {
        ResponseDefinitionBuilder response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(Json.write(Json.object().put("type", "error").set("error",
                        Json.object().put("type", type).put("message", message))));
        for (int i = 0; i < headers.length; i += 2) {
            response.withHeader(headers[i], headers[i + 1]);
        }
        anthropicUpstream.stubFor(messagesEndpoint()
                .willReturn(response));
    }

    private static void stubAnthropicStream(String sse) {
        anthropicUpstream.stubFor(messagesEndpoint()
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8")
                        .withBody(sse)));
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + json(data) + "\n\n";
    }

    private static String blockDelta(int index, String delta) {
        return event("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static String sse(String... events) {
        return String.join("", events);
    }

    private static LoggedRequest onlyUpstreamRequest() {
        assertThat(anthropicUpstream.getAllServeEvents()).hasSize(1);
        return anthropicUpstream.getAllServeEvents().get(0).getRequest();
    }

    private static JsonNode upstreamBody(LoggedRequest request) {
        return parse(request.getBodyAsString());
    }
}
