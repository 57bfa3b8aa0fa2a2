package dev.camelllm.provider.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code provider=openai-responses} through real routes against a loopback fake that speaks the Responses
 * API's wire format (bodies and semantic SSE events shaped after OpenAI's API reference).
 */
@Timeout(30)
class OpenAiResponsesProviderTest extends OpenAiTestSupport {

    private final ScriptedHttpServer fake = newServer();
    private final List<Object> chunks = new CopyOnWriteArrayList<>();

    private static ScriptedHttpServer newServer() {
        try {
            return new ScriptedHttpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopFake() throws Exception {
        fake.close();
    }

    private String llm(String name, String extra) {
        return "llm:" + name + "?maxRetries=0&provider=openai-responses&baseUrl=" + fake.baseUrl() + "/v1&apiKey=" + KEY
               + "&model=gpt-4.1&fullResponse=true" + extra;
    }

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext ctx = super.createCamelContext();
        // the fallback of direct:primary: the Chat Completions API on the same fake
        LlmConfiguration backup = new LlmConfiguration();
        backup.setProvider("openai");
        backup.setBaseUrl(fake.baseUrl() + "/v1");
        backup.setApiKey(KEY);
        backup.setModel("gpt-4o-mini");
        backup.setMaxRetries(0);
        ctx.getComponent("llm", dev.camelllm.component.LlmComponent.class).getProfiles().put("backup", backup);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to(llm("chat", "&maxTokens=100&temperature=0.3&systemPrompt=Be brief."));
                from("direct:think").to(llm("think", "&thinkingBudget=8000"));
                from("direct:stream").to(llm("stream", "&stream=true&streamFormat=chunks"))
                        .split(body()).streaming()
                            .process(e -> chunks.add(e.getMessage().getBody()))
                        .end();
                from("direct:primary").to(llm("primary", "&fallbacks=backup"));
            }
        };
    }

    static String responsesFixture(String name) {
        try (InputStream in = OpenAiResponsesProviderTest.class.getResourceAsStream("/fixtures/openai-responses/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScriptedHttpServer.Script json(int status, String fixture, String... headers) {
        return ex -> ex.respond(status, "application/json", responsesFixture(fixture), headers);
    }

    static ScriptedHttpServer.Script sse(String fixture) {
        return ex -> {
            ex.startStream(200);
            for (String event : responsesFixture(fixture).split("\n\n")) {
                if (!event.isBlank()) {
                    ex.send(event.strip() + "\n\n");
                }
            }
            ex.endStream();
        };
    }

    private JsonNode sentBody(int i) throws IOException {
        return Json.parse(fake.requests().get(i).body());
    }

    @Test
    void plainAnswerWithCachedTokensAndTheRequestItWasAskedWith() throws Exception {
        fake.then(json(200, "text.json"));

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Tell me a story"));

        assertThat(out.getException()).isNull();
        ChatResponse r = out.getMessage().getBody(ChatResponse.class);
        assertThat(r.text()).startsWith("In a peaceful grove");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().inputTokens()).isEqualTo(36);
        assertThat(r.usage().cacheReadTokens()).isEqualTo(12);
        assertThat(r.usage().outputTokens()).isEqualTo(87);
        assertThat(r.model()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai-responses");

        ScriptedHttpServer.Request req = fake.requests().get(0);
        assertThat(req.path()).isEqualTo("/v1/responses");
        assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = sentBody(0);
        assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(body.path("max_output_tokens").asInt()).isEqualTo(100);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("store").asBoolean(true)).isFalse();
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("reasoning")).isFalse();
        assertThat(body.path("input").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("input").get(0).path("content").get(0).path("type").asText()).isEqualTo("input_text");
        assertThat(body.path("input").get(0).path("content").get(0).path("text").asText()).isEqualTo("Tell me a story");
    }

    @Test
    void reasoningEncryptedContentAndToolCallRoundTripIntoTheNextTurn() throws Exception {
        fake.then(json(200, "reasoning-tool-call.json"), json(200, "text.json"));
        ToolSpec weather = new ToolSpec("get_weather", "Current weather",
                Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string"))));
        ChatRequest first = ChatRequest.builder().user("Weather in Paris?").tools(List.of(weather)).build();

        ChatResponse turn1 = template.request("direct:think", e -> e.getMessage().setBody(first))
                .getMessage().getBody(ChatResponse.class);

        assertThat(turn1.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(turn1.toolCalls()).containsExactly(new ToolCall("call_12345xyz", "get_weather", "{\"location\":\"Paris, France\"}"));
        assertThat(turn1.thinking()).isEqualTo("**Checking the weather**\n\nThe user wants the weather in Paris.\n\nI should call get_weather.");
        assertThat(turn1.usage().reasoningTokens()).isEqualTo(192);
        JsonNode sent1 = sentBody(0);
        assertThat(sent1.path("reasoning").path("effort").asText()).isEqualTo("medium");
        assertThat(sent1.path("reasoning").path("summary").asText()).isEqualTo("auto");
        assertThat(sent1.path("include").get(0).asText()).isEqualTo("reasoning.encrypted_content");
        assertThat(sent1.path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(sent1.path("tools").get(0).path("type").asText()).isEqualTo("function");

        // the next turn: the assistant's message as it came, then the tool's result
        List<ChatMessage> history = new ArrayList<>(first.messages());
        history.add(turn1.message());
        history.add(ChatMessage.toolResult("call_12345xyz", "{\"temp_c\":18}"));
        ChatRequest second = first.toBuilder().messages(history).build();
        Exchange out = template.request("direct:think", e -> e.getMessage().setBody(second));

        assertThat(out.getException()).isNull();
        JsonNode input = sentBody(1).path("input");
        assertThat(input).hasSize(4);
        assertThat(input.get(1).path("type").asText()).isEqualTo("reasoning");
        assertThat(input.get(1).path("encrypted_content").asText()).isEqualTo("gAAAAABor0Aw_enc_first_turn_Q2xhdWRlIHNheXMgaGk=");
        assertThat(input.get(2).path("type").asText()).isEqualTo("function_call");
        assertThat(input.get(2).path("call_id").asText()).isEqualTo("call_12345xyz");
        assertThat(input.get(2).path("arguments").asText()).isEqualTo("{\"location\":\"Paris, France\"}");
        assertThat(input.get(3).path("type").asText()).isEqualTo("function_call_output");
        assertThat(input.get(3).path("call_id").asText()).isEqualTo("call_12345xyz");
        assertThat(input.get(3).path("output").asText()).isEqualTo("{\"temp_c\":18}");
    }

    @Test
    void incompleteAnswerIsALengthFinish() {
        fake.then(json(200, "incomplete.json"));

        ChatResponse r = template.requestBody("direct:chat", "Tell me a long story", ChatResponse.class);

        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.rawFinishReason()).isEqualTo("max_output_tokens");
        assertThat(r.text()).isEqualTo("Once upon a");
    }

    @Test
    void failedAnswerWithHttp200IsAProviderError() {
        fake.then(json(200, "failed.json"));

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isInstanceOf(LlmApiException.class);
        LlmApiException e = (LlmApiException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.errorType()).isEqualTo("server_error");
        assertThat(e.getMessage()).contains("The model failed to generate a response.");
    }

    @Test
    void streamedTextEndsWithUsageAndFinish() throws Exception {
        fake.then(sse("stream-text.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Say hello world"));

        assertThat(out.getException()).isNull();
        assertThat(chunks).filteredOn(ChatChunk.TextDelta.class::isInstance)
                .extracting(c -> ((ChatChunk.TextDelta) c).text()).containsExactly("Hel", "lo, wor", "ld!");
        assertThat(chunks.get(chunks.size() - 1)).isEqualTo(new ChatChunk.Finish(FinishReason.STOP, "completed"));
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(9L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(4L);
        assertThat(sentBody(0).path("stream").asBoolean()).isTrue();
        awaitNoLeasedConnections();
    }

    @Test
    void streamedReasoningSummaryAndToolCallWithItsEncryptedContent() throws Exception {
        fake.then(sse("stream-reasoning-tool.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Weather in Paris?"));

        assertThat(out.getException()).isNull();
        assertThat(chunks).containsSubsequence(
                new ChatChunk.ThinkingDelta("**Checking the weather**"),
                new ChatChunk.ThinkingDelta("\n\n"),
                new ChatChunk.ThinkingDelta("I should call get_weather."),
                new ChatChunk.ThinkingSignature("gAAAAABor0Aw_enc_streamed_turn"),
                new ChatChunk.ToolCallDelta(0, "call_12345xyz", "get_weather", ""),
                new ChatChunk.ToolCallDelta(0, null, null, "{\"location\":"),
                new ChatChunk.ToolCallComplete(0, new ToolCall("call_12345xyz", "get_weather", "{\"location\":\"Paris, France\"}")),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "completed"));
        ChatResponse r = out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class);
        assertThat(r.message().partsOf(ContentPart.Thinking.class)).containsExactly(new ContentPart.Thinking(
                "**Checking the weather**\n\nI should call get_weather.", "gAAAAABor0Aw_enc_streamed_turn"));
        assertThat(r.usage().cacheReadTokens()).isEqualTo(64);
        assertThat(r.usage().reasoningTokens()).isEqualTo(192);
    }

    @Test
    void streamedIncompleteIsAContentFilterFinish() {
        fake.then(sse("stream-incomplete.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        assertThat(chunks.get(chunks.size() - 1)).isEqualTo(new ChatChunk.Finish(FinishReason.CONTENT_FILTER, "content_filter"));
    }

    @Test
    void streamedResponseFailedIsTypedByItsCode() {
        fake.then(sse("stream-failed.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isInstanceOf(LlmApiException.class);
        LlmApiException e = (LlmApiException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(e.errorType()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void streamedErrorEventIsAProviderError() {
        fake.then(sse("stream-error.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isInstanceOf(LlmApiException.class);
        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(out.getException().getMessage()).contains("The server had an error");
    }

    @Test
    void aStreamThatEndsWithoutATerminalEventIsIncompleteNeverComplete() {
        fake.then(sse("stream-cut.sse"));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isInstanceOf(LlmStreamException.class)
                .hasMessageContaining("response.completed or response.incomplete");
        assertThat(chunks).noneMatch(ChatChunk.Finish.class::isInstance);
        awaitNoLeasedConnections();
    }

    @Test
    void errorStatusesAreTypedWithRetryAfterAndNeverTheKey() {
        fake.then(ex -> ex.respond(429, "application/json",
                        "{\"error\":{\"message\":\"Rate limit reached. Key " + KEY + "\",\"type\":\"requests\",\"param\":null,"
                                + "\"code\":\"rate_limit_exceeded\"}}", "retry-after", "7"),
                ex -> ex.respond(400, "application/json", "{\"error\":{\"message\":\"Your input exceeds the context window "
                        + "of this model.\",\"type\":\"invalid_request_error\",\"param\":\"input\",\"code\":\"context_length_exceeded\"}}"),
                ex -> ex.respond(401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"),
                ex -> ex.respond(500, "application/json", "{\"error\":{\"message\":\"The server had an error\","
                        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

        LlmException rate = (LlmException) template.request("direct:chat", e -> e.getMessage().setBody("a")).getException();
        LlmException context = (LlmException) template.request("direct:chat", e -> e.getMessage().setBody("b")).getException();
        LlmException auth = (LlmException) template.request("direct:chat", e -> e.getMessage().setBody("c")).getException();
        LlmException server = (LlmException) template.request("direct:stream", e -> e.getMessage().setBody("d")).getException();

        assertThat(rate.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(rate.retryAfter()).hasSeconds(7);
        assertThat(rate.getMessage()).doesNotContain(KEY);
        assertThat(context.kind()).isEqualTo(ErrorKind.CONTEXT_WINDOW);
        assertThat(context.retryable()).isFalse();
        assertThat(auth.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(server.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(server.statusCode()).isEqualTo(500);
        assertThat(server.retryable()).isTrue();
    }

    @Test
    void stopSequencesAreRefusedBeforeAnyCall() {
        ChatRequest request = ChatRequest.builder().user("Hi").stopSequences(List.of("END")).build();

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody(request));

        assertThat(out.getException()).isInstanceOf(LlmException.class).hasMessageContaining("stop sequences");
        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aFailingResponsesUpstreamFallsBackToAChatCompletionsProfile() throws Exception {
        fake.then(ex -> ex.respond(503, "application/json", "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"),
                ex -> ex.respond(200, "application/json", OpenAiTestSupport.fixture("chat-text.json")));

        Exchange out = template.request("direct:primary", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(fake.requests()).extracting(ScriptedHttpServer.Request::path)
                .containsExactly("/v1/responses", "/v1/chat/completions");
        assertThat(out.getMessage().getBody(ChatResponse.class).message().role()).isEqualTo(Role.ASSISTANT);
    }
}
