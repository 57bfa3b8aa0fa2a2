package dev.camelllm.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.spi.Json;

class AnthropicRequestDecoderTest {

    private final AnthropicMessagesFormat format = new AnthropicMessagesFormat();

    private GatewayRequest decode(String json) {
        try {
            return format.decode(Json.parse(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void decodesEveryField() {
        GatewayRequest request = decode("""
                {"model": "claude-sonnet-4-5", "max_tokens": 4096,
                 "system": [{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}},
                            {"type": "text", "text": "Answer in French."}],
                 "messages": [{"role": "user", "content": "Bonjour"}],
                 "temperature": 0.5, "top_p": 0.9, "top_k": 40, "stop_sequences": ["END", "STOP"],
                 "tools": [{"name": "get_weather", "description": "Weather of a city",
                            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                             "required": ["city"]}},
                           {"type": "custom", "name": "noop", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
                 "thinking": {"type": "enabled", "budget_tokens": 2048},
                 "stream": true, "metadata": {"user_id": "u-1"}, "service_tier": "auto", "future_field": 1}
                """);

        assertThat(request.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        ChatRequest chat = request.chat();
        assertThat(chat.model()).isNull();
        assertThat(chat.maxTokens()).isEqualTo(4096);
        assertThat(chat.systemPrompt()).isEqualTo("You are terse.\n\nAnswer in French.");
        assertThat(chat.messages()).containsExactly(ChatMessage.user("Bonjour"));
        assertThat(chat.temperature()).isEqualTo(0.5);
        assertThat(chat.topP()).isEqualTo(0.9);
        assertThat(chat.topK()).isEqualTo(40);
        assertThat(chat.stopSequences()).containsExactly("END", "STOP");
        assertThat(chat.tools()).containsExactly(
                new ToolSpec("get_weather", "Weather of a city", Map.of("type", "object",
                        "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))),
                new ToolSpec("noop", null, Map.of("type", "object")));
        assertThat(chat.toolChoice()).isEqualTo(ToolChoice.tool("get_weather"));
        assertThat(chat.thinkingBudget()).isEqualTo(2048);
        assertThat(chat.metadata()).isEmpty();
    }

    @Test
    void leavesOptionalFieldsUnset() {
        GatewayRequest request = decode("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}""");

        assertThat(request.stream()).isFalse();
        ChatRequest chat = request.chat();
        assertThat(chat.systemPrompt()).isNull();
        assertThat(chat.temperature()).isNull();
        assertThat(chat.topP()).isNull();
        assertThat(chat.topK()).isNull();
        assertThat(chat.stopSequences()).isEmpty();
        assertThat(chat.tools()).isEmpty();
        assertThat(chat.toolChoice()).isNull();
        assertThat(chat.thinkingBudget()).isNull();
    }

    @Test
    void systemAsAString() {
        assertThat(decode("""
                {"model": "m", "max_tokens": 10, "system": "Be brief.",
                 "messages": [{"role": "user", "content": "hi"}]}""").chat().systemPrompt()).isEqualTo("Be brief.");
    }

    @Test
    void toolChoiceTypes() {
        assertThat(toolChoice("{\"type\": \"auto\"}")).isEqualTo(ToolChoice.AUTO);
        assertThat(toolChoice("{\"type\": \"any\"}")).isEqualTo(ToolChoice.REQUIRED);
        assertThat(toolChoice("{\"type\": \"none\"}")).isEqualTo(ToolChoice.NONE);
    }

    private ToolChoice toolChoice(String choice) {
        return decode("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}],
                 "tool_choice": %s}""".formatted(choice)).chat().toolChoice();
    }

    @Test
    void thinkingDisabledAndAdaptive() {
        assertThat(thinking(8000, "{\"type\": \"disabled\"}")).isNull();
        // adaptive: half of max_tokens, but never below the API's minimum of 1024
        assertThat(thinking(8000, "{\"type\": \"adaptive\"}")).isEqualTo(4000);
        assertThat(thinking(1500, "{\"type\": \"adaptive\"}")).isEqualTo(1024);
        assertThat(thinking(1024, "{\"type\": \"adaptive\"}")).isNull();
    }

    private Integer thinking(int maxTokens, String thinking) {
        return decode("""
                {"model": "m", "max_tokens": %d, "messages": [{"role": "user", "content": "hi"}],
                 "thinking": %s}""".formatted(maxTokens, thinking)).chat().thinkingBudget();
    }

    @Test
    void images() {
        ChatRequest chat = decode("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [
                  {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                  {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
                  {"type": "text", "text": "What are these?"}]}]}""").chat();

        assertThat(chat.messages()).containsExactly(new ChatMessage(Role.USER, List.of(
                ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
                ContentPart.Image.ofUrl("https://example.com/cat.jpg"),
                new ContentPart.Text("What are these?"))));
    }

    @Test
    void toolLoopTranscript() {
        ChatRequest chat = decode("""
                {"model": "m", "max_tokens": 4096, "messages": [
                  {"role": "user", "content": "Weather in Paris and Rome?"},
                  {"role": "assistant", "content": [
                    {"type": "thinking", "thinking": "Two cities: two calls.", "signature": "sig-abc=="},
                    {"type": "text", "text": "Let me look."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
                    {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Rome"}}]},
                  {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C, sunny"},
                    {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true,
                     "content": [{"type": "text", "text": "station down"}, {"type": "text", "text": "retry later"}]},
                    {"type": "text", "text": "Also say which is warmer."}]},
                  {"role": "assistant", "content": [{"type": "redacted_thinking", "data": "EncRypTed"},
                                                    {"type": "text", "text": "Paris."}]}]}""").chat();

        assertThat(chat.messages()).containsExactly(
                ChatMessage.user("Weather in Paris and Rome?"),
                new ChatMessage(Role.ASSISTANT, List.of(
                        new ContentPart.Thinking("Two cities: two calls.", "sig-abc=="),
                        new ContentPart.Text("Let me look."),
                        new ContentPart.ToolUse(new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")),
                        new ContentPart.ToolUse(new ToolCall("toolu_2", "get_weather", "{\"city\":\"Rome\"}")))),
                new ChatMessage(Role.TOOL, List.of(
                        new ContentPart.ToolResult("toolu_1", "18C, sunny", false),
                        new ContentPart.ToolResult("toolu_2", "station down\n\nretry later", true))),
                ChatMessage.user("Also say which is warmer."),
                new ChatMessage(Role.ASSISTANT, List.of(
                        new ContentPart.RedactedThinking("EncRypTed"),
                        new ContentPart.Text("Paris."))));
    }

    @Test
    void userMessageWithOnlyToolResultsIsOnlyAToolMessage() {
        ChatRequest chat = decode("""
                {"model": "m", "max_tokens": 10, "messages": [
                  {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "now"}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1"}]}]}""").chat();

        assertThat(chat.messages()).containsExactly(
                new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.ToolUse(new ToolCall("t1", "now", "{}")))),
                new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("t1", "", false))));
    }

    @Test
    void emptySignatureIsNoSignature() {
        // what a client echoes for thinking streamed from an upstream without signatures
        ChatRequest chat = decode("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "assistant", "content": [
                  {"type": "thinking", "thinking": "hmm", "signature": ""}]}]}""").chat();

        assertThat(chat.messages().get(0).parts()).containsExactly(new ContentPart.Thinking("hmm", null));
    }
}
