package dev.camelllm.provider.anthropic;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class AnthropicResponseReaderTest {

    @Test
    void textResponseWithUsageIncludingCache() throws Exception {
        ChatResponse r = AnthropicResponseReader.read(Json.parse(AnthropicFixtures.read("response-text.json")),
                "claude-sonnet-4-5");

        assertThat(r.text()).isEqualTo("Hello! How can I help you today?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.rawFinishReason()).isEqualTo("end_turn");
        assertThat(r.usage()).isEqualTo(new Usage(12, 9, 100, 5));
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.thinking()).isNull();
    }

    @Test
    void thinkingRedactedThinkingTextAndToolUseInOrder() throws Exception {
        ChatResponse r = AnthropicResponseReader.read(
                Json.parse(AnthropicFixtures.read("response-tool-thinking.json")), "m");

        assertThat(r.message().parts()).hasSize(4);
        assertThat(r.message().parts().get(0)).isEqualTo(new ContentPart.Thinking(
                "The user wants the weather in Paris. I should call get_weather.",
                "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"));
        assertThat(r.message().parts().get(1)).isEqualTo(
                new ContentPart.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"));
        assertThat(r.text()).isEqualTo("Let me check the weather.");
        assertThat(r.toolCalls()).hasSize(1);
        ToolCall call = r.toolCalls().get(0);
        assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.rawFinishReason()).isEqualTo("tool_use");
        assertThat(r.usage().inputTokens()).isEqualTo(472);
    }

    @Test
    void answerWithoutTextBlocksStillHasAnEmptyTextPart() throws Exception {
        ChatResponse r = AnthropicResponseReader.read(Json.parse("""
                {"type":"message","role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"}],
                 "stop_reason":"max_tokens","usage":{"input_tokens":3,"output_tokens":1024}}"""), "claude-x");

        assertThat(r.text()).isEmpty();
        assertThat(r.thinking()).isEqualTo("hm");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.model()).isEqualTo("claude-x");
    }

    @ParameterizedTest
    @CsvSource({
            "end_turn, STOP",
            "stop_sequence, STOP",
            "pause_turn, STOP",
            "max_tokens, LENGTH",
            "model_context_window_exceeded, LENGTH",
            "tool_use, TOOL_CALLS",
            "refusal, CONTENT_FILTER" })
    void stopReasons(String raw, FinishReason expected) {
        assertThat(AnthropicResponseReader.finishReason(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | invalid_request_error | messages: roles must alternate | INVALID_REQUEST",
            "400 | invalid_request_error | prompt is too long: 212000 tokens > 200000 maximum | CONTEXT_WINDOW",
            "401 | authentication_error | invalid x-api-key | AUTHENTICATION",
            "403 | permission_error | Your API key does not have permission | AUTHENTICATION",
            "404 | not_found_error | model: claude-nope | INVALID_REQUEST",
            "413 | request_too_large | Request exceeds the maximum allowed number of bytes | INVALID_REQUEST",
            "429 | rate_limit_error | Number of request tokens has exceeded your rate limit | RATE_LIMIT",
            "500 | api_error | Internal server error | PROVIDER",
            "529 | overloaded_error | Overloaded | PROVIDER" })
    void httpErrorBodies(int status, String type, String message, ErrorKind kind) {
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";

        LlmApiException e = AnthropicErrors.fromHttp(status, Map.of("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy"),
                body, "claude-x", "secret-key-value");

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.getMessage()).contains(message).contains("req_011CSHoEeqs5C35K2UUqR7Fy").contains("anthropic");
    }

    @Test
    void upstreamEchoOfTheKeyIsRedacted() {
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid key my-own-key-12345\"}}";
        LlmApiException e = AnthropicErrors.fromHttp(401, Map.of(), body, "m", "my-own-key-12345");
        assertThat(e.getMessage()).doesNotContain("my-own-key-12345").contains("[REDACTED]");
    }

    @Test
    void nonJsonErrorBodyFallsBackToTheStatus() {
        LlmApiException e = AnthropicErrors.fromHttp(502, Map.of("retry-after", "3"), "<html>Bad Gateway</html>", "m", null);
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.errorType()).isNull();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(e.getMessage()).contains("Bad Gateway");
    }

    @ParameterizedTest
    @CsvSource({
            "overloaded_error, PROVIDER",
            "api_error, PROVIDER",
            "rate_limit_error, RATE_LIMIT",
            "invalid_request_error, INVALID_REQUEST",
            "some_new_error, PROVIDER" })
    void streamErrorEventsByType(String type, ErrorKind kind) throws Exception {
        LlmApiException e = AnthropicErrors.fromEvent(
                Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"boom\"}}"), "m", null);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.statusCode()).isZero();
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.getMessage()).contains("boom");
    }
}
