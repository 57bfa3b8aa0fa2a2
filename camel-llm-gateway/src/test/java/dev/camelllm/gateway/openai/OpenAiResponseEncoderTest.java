package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

class OpenAiResponseEncoderTest {

    private static final ResponseInfo INFO = new ResponseInfo("chatcmpl-abc", "fast", 1_700_000_000L);

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    @Test
    void aTextAnswer() throws Exception {
        JsonNode json = encode(response(List.of(new ContentPart.Text("Hello!")), FinishReason.STOP,
                new Usage(12, 3, 4, 0), "openai"));

        assertThat(json).isEqualTo(Json.parse("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"fast",
                 "choices":[{"index":0,
                   "message":{"role":"assistant","content":"Hello!","refusal":null},
                   "finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
                   "prompt_tokens_details":{"cached_tokens":4}}}
                """));
    }

    @Test
    void toolCallsWithoutTextHaveNullContent() throws Exception {
        JsonNode message = encode(response(List.of(
                new ContentPart.ToolUse(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")),
                new ContentPart.ToolUse(new ToolCall("call_2", "time", "{}"))),
                FinishReason.TOOL_CALLS, Usage.EMPTY, "openai")).at("/choices/0/message");

        assertThat(message.get("content").isNull()).isTrue();
        assertThat(message.get("tool_calls")).isEqualTo(Json.parse("""
                [{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                 {"id":"call_2","type":"function","function":{"name":"time","arguments":"{}"}}]
                """));
        assertThat(message.has("reasoning_content")).isFalse();
    }

    @Test
    void textBesideToolCallsIsKept() throws Exception {
        JsonNode message = encode(response(List.of(new ContentPart.Text("Checking."),
                new ContentPart.ToolUse(new ToolCall("c", "t", "{}"))), FinishReason.TOOL_CALLS, Usage.EMPTY, "openai"))
                .at("/choices/0/message");

        assertThat(message.get("content").asText()).isEqualTo("Checking.");
        assertThat(message.get("tool_calls")).hasSize(1);
    }

    @Test
    void anEmptyAnswerWithoutToolCallsHasEmptyContent() throws Exception {
        JsonNode message = encode(response(List.of(new ContentPart.Text("")), FinishReason.LENGTH, Usage.EMPTY,
                "openai")).at("/choices/0/message");

        assertThat(message.get("content").isTextual()).isTrue();
        assertThat(message.get("content").asText()).isEmpty();
        assertThat(message.has("tool_calls")).isFalse();
    }

    @Test
    void thinkingIsReasoningContent() throws Exception {
        JsonNode message = encode(response(List.of(new ContentPart.Thinking("First, ", "sig"),
                new ContentPart.Thinking("add.", null), new ContentPart.Text("4")), FinishReason.STOP, Usage.EMPTY,
                "anthropic")).at("/choices/0/message");

        assertThat(message.get("reasoning_content").asText()).isEqualTo("First, add.");
        assertThat(message.get("content").asText()).isEqualTo("4");
    }

    @ParameterizedTest
    @CsvSource({"STOP,stop", "LENGTH,length", "TOOL_CALLS,tool_calls", "CONTENT_FILTER,content_filter", "ERROR,stop"})
    void finishReasons(FinishReason reason, String wire) throws Exception {
        JsonNode json = encode(response(List.of(new ContentPart.Text("x")), reason, Usage.EMPTY, "openai"));
        assertThat(json.at("/choices/0/finish_reason").asText()).isEqualTo(wire);
    }

    @Test
    void anthropicCacheTokensAreAddedToThePrompt() throws Exception {
        JsonNode usage = encode(response(List.of(new ContentPart.Text("x")), FinishReason.STOP,
                new Usage(10, 5, 100, 20), "anthropic")).get("usage");

        assertThat(usage).isEqualTo(Json.parse("""
                {"prompt_tokens":130,"completion_tokens":5,"total_tokens":135,"prompt_tokens_details":{"cached_tokens":100}}
                """));
    }

    @Test
    void otherProvidersCountCachedTokensInsideTheInput() throws Exception {
        JsonNode usage = encode(response(List.of(new ContentPart.Text("x")), FinishReason.STOP,
                new Usage(130, 5, 100, 0), "openai-compatible")).get("usage");

        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(130);
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(135);
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(100);
    }

    private JsonNode encode(ChatResponse response) throws Exception {
        return Json.MAPPER.readTree(format.encodeResponse(response, INFO));
    }

    static ChatResponse response(List<ContentPart> parts, FinishReason reason, Usage usage, String provider) {
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), reason, reason.value(), usage, provider,
                "upstream-model", -1, 10);
    }
}
