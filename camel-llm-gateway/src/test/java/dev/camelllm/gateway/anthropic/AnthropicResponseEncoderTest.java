package dev.camelllm.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

class AnthropicResponseEncoderTest {

    private static final ResponseInfo INFO = new ResponseInfo("msg_gw_1", "claude-sonnet-4-5", 1_700_000_000L);

    private final AnthropicMessagesFormat format = new AnthropicMessagesFormat();

    private static ChatResponse response(List<ContentPart> parts, FinishReason reason, String raw, Usage usage) {
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), reason, raw, usage, "openai", "gpt-x", -1, 12);
    }

    private JsonNode encode(ChatResponse response) throws IOException {
        return Json.MAPPER.readTree(format.encodeResponse(response, INFO));
    }

    @Test
    void writesEveryPartInOrder() throws IOException {
        ChatResponse response = response(List.of(
                        new ContentPart.Thinking("Weigh it up.", "sig-1"),
                        new ContentPart.Thinking("No signature here.", null),
                        new ContentPart.RedactedThinking("EnCrYpTeD"),
                        new ContentPart.Text("Checking the weather."),
                        new ContentPart.ToolUse(new ToolCall("toolu_9", "get_weather", "{\"city\": \"Paris\"}"))),
                FinishReason.TOOL_CALLS, "tool_calls", new Usage(120, 45, 30, 7));

        JsonNode expected = Json.parse("""
                {"id": "msg_gw_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [
                   {"type": "thinking", "thinking": "Weigh it up.", "signature": "sig-1"},
                   {"type": "thinking", "thinking": "No signature here.", "signature": ""},
                   {"type": "redacted_thinking", "data": "EnCrYpTeD"},
                   {"type": "text", "text": "Checking the weather."},
                   {"type": "tool_use", "id": "toolu_9", "name": "get_weather", "input": {"city": "Paris"}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 83, "output_tokens": 45, "cache_read_input_tokens": 30,
                           "cache_creation_input_tokens": 7}}""");
        // an OpenAI-style upstream counts cache tokens inside its 120 input tokens; Anthropic's input_tokens excludes them
        assertThat(encode(response)).isEqualTo(expected);
    }

    @Test
    void leavesOutEmptyTextAndKeepsContentAnArray() throws IOException {
        JsonNode onlyEmptyText = encode(response(List.of(new ContentPart.Text("")), FinishReason.LENGTH, "length",
                Usage.EMPTY));
        JsonNode noParts = encode(response(List.of(), FinishReason.STOP, null, null));

        assertThat(onlyEmptyText.get("content").isArray()).isTrue();
        assertThat(onlyEmptyText.get("content")).isEmpty();
        assertThat(onlyEmptyText.get("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(noParts.get("content").isArray()).isTrue();
        assertThat(noParts.get("content")).isEmpty();
        assertThat(noParts.get("usage")).isEqualTo(Json.parse("""
                {"input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 0,
                 "cache_creation_input_tokens": 0}"""));
    }

    @Test
    void argumentsThatAreNoJsonObjectBecomeAnEmptyInput() throws IOException {
        JsonNode body = encode(response(List.of(
                        new ContentPart.ToolUse(new ToolCall("a", "f", "{\"city\": \"Par")),
                        new ContentPart.ToolUse(new ToolCall("b", "g", "[1, 2]")),
                        new ContentPart.ToolUse(new ToolCall("c", "h", "{} trailing"))),
                FinishReason.TOOL_CALLS, null, Usage.EMPTY));

        for (JsonNode block : body.get("content")) {
            assertThat(block.get("input")).isEqualTo(Json.object());
        }
        assertThat(body.get("content")).hasSize(3);
    }

    @Test
    void inventsAnIdForAToolCallWithout() throws IOException {
        JsonNode block = encode(response(List.of(new ContentPart.ToolUse(new ToolCall(null, "f", "{}"))),
                FinishReason.TOOL_CALLS, null, Usage.EMPTY)).get("content").get(0);

        assertThat(block.get("id").asText()).startsWith("toolu_").hasSizeGreaterThan(20);
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "STOP, stop, end_turn",
            "STOP, null, end_turn",
            "STOP, end_turn, end_turn",
            "STOP, stop_sequence, stop_sequence",
            "STOP, pause_turn, pause_turn",
            "LENGTH, length, max_tokens",
            "LENGTH, model_context_window_exceeded, model_context_window_exceeded",
            "TOOL_CALLS, tool_calls, tool_use",
            "CONTENT_FILTER, content_filter, refusal",
            "CONTENT_FILTER, refusal, refusal",
            "ERROR, null, end_turn",
            // a raw value that disagrees with the neutral reason is not kept
            "LENGTH, end_turn, max_tokens",
    })
    void stopReasons(FinishReason reason, String raw, String expected) throws IOException {
        JsonNode body = encode(response(List.of(new ContentPart.Text("x")), reason, raw, Usage.EMPTY));

        assertThat(body.get("stop_reason").asText()).isEqualTo(expected);
    }

    @Test
    void toolCallsWithAStopReasonOfStopStillStopForToolUse() throws IOException {
        JsonNode body = encode(response(List.of(new ContentPart.ToolUse(new ToolCall("a", "f", "{}"))),
                FinishReason.STOP, "stop", Usage.EMPTY));

        assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void theAnthropicSdkReadsTheAnswer() throws IOException {
        byte[] body = format.encodeResponse(response(List.of(
                        new ContentPart.Thinking("t", "sig"),
                        new ContentPart.Text("Hello"),
                        new ContentPart.ToolUse(new ToolCall("toolu_1", "f", "{\"a\": 1}"))),
                FinishReason.TOOL_CALLS, null, new Usage(10, 5, 1, 2)), INFO);

        Message message = ObjectMappers.jsonMapper().readValue(body, Message.class);
        message.validate();

        assertThat(message.id()).isEqualTo("msg_gw_1");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        List<ContentBlock> content = message.content();
        assertThat(content.get(0).asThinking().signature()).isEqualTo("sig");
        assertThat(content.get(1).asText().text()).isEqualTo("Hello");
        assertThat(content.get(2).asToolUse().name()).isEqualTo("f");
        assertThat(message.usage().cacheReadInputTokens()).contains(1L);
    }
}
