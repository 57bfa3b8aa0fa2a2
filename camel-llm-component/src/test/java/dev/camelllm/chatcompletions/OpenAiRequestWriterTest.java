package dev.camelllm.chatcompletions;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** The request JSON both dialects write, compared with what the Chat Completions reference documents. */
@Timeout(10)
class OpenAiRequestWriterTest {

    static ChatCompletionsDialect openai() {
        return new ChatCompletionsDialect("openai", ChatCompletionsDialect.chatCompletions("https://api.openai.com/v1/"),
                "k", null, "Bearer", "max_completion_tokens", true, ReasoningFormat.FIELDS, true, false);
    }

    static ChatCompletionsDialect compatible() {
        return new ChatCompletionsDialect("openai-compatible", ChatCompletionsDialect.chatCompletions("http://h:8000/v1"),
                null, null, "Bearer", "max_tokens", false, ReasoningFormat.AUTO, false, true);
    }

    static final Map<String, Object> WEATHER_SCHEMA = Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"));

    private static ChatRequest conversation() {
        return ChatRequest.builder()
                .systemPrompt("You are terse.")
                .messages(List.of(
                        ChatMessage.system("Answer in English."),
                        new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is in this image?"),
                                ContentPart.Image.ofBase64("image/jpeg", "QUJD"),
                                ContentPart.Image.ofUrl("https://example.com/cat.png"))),
                        new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Thinking("secret reasoning", "sig"),
                                new ContentPart.Text("Let me check the weather."),
                                new ContentPart.ToolUse(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")))),
                        new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1", "18C, sunny", false))),
                        ChatMessage.user("Thanks")))
                .tools(List.of(new ToolSpec("get_weather", "Weather in a city", WEATHER_SCHEMA)))
                .toolChoice(ToolChoice.tool("get_weather"))
                .responseFormat(ResponseFormat.jsonSchema("answer", Map.of("type", "object")))
                .temperature(0.2)
                .topP(0.9)
                .topK(40)
                .stopSequences(List.of("END"))
                .seed(7L)
                .maxTokens(256)
                .build();
    }

    @Test
    void writesTheWholeConversationAsDocumented() throws Exception {
        ObjectNode json = new ChatCompletionsRequestWriter(openai()).write(conversation(), "gpt-4o", false);

        JsonNode expected = Json.parse("""
                {
                  "model": "gpt-4o",
                  "messages": [
                    {"role": "system", "content": "You are terse.\\n\\nAnswer in English."},
                    {"role": "user", "content": [
                      {"type": "text", "text": "What is in this image?"},
                      {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,QUJD"}},
                      {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
                    ]},
                    {"role": "assistant", "content": "Let me check the weather.", "tool_calls": [
                      {"id": "call_1", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
                    ]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "18C, sunny"},
                    {"role": "user", "content": "Thanks"}
                  ],
                  "tools": [
                    {"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
                      "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
                  ],
                  "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                  "response_format": {"type": "json_schema",
                    "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true}},
                  "temperature": 0.2,
                  "top_p": 0.9,
                  "stop": ["END"],
                  "seed": 7,
                  "max_completion_tokens": 256
                }
                """);
        // compared as parsed JSON: key order and number widths do not matter
        assertThat(Json.parse(json.toString())).isEqualTo(expected);
        assertThat(json.toString()).doesNotContain("secret reasoning").doesNotContain("top_k");
    }

    @Test
    void compatibleDialectWritesMaxTokensAndTopK() {
        ObjectNode json = new ChatCompletionsRequestWriter(compatible()).write(conversation(), "llama", false);

        assertThat(json.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(json.has("max_completion_tokens")).isFalse();
        assertThat(json.get("top_k").asInt()).isEqualTo(40);
    }

    @Test
    void leavesOutWhatIsNotSet() {
        ChatRequest minimal = ChatRequest.builder().user("Hi").responseFormat(ResponseFormat.TEXT)
                .toolChoice(ToolChoice.REQUIRED).build();

        ObjectNode json = new ChatCompletionsRequestWriter(openai()).write(minimal, "gpt-4o-mini", false);

        // no tools, so no tool_choice either (OpenAI rejects a tool_choice without tools)
        assertThat(json.toString()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    @Test
    void streamOptionsFollowTheDialect() {
        ChatRequest r = ChatRequest.builder().user("Hi").build();

        ObjectNode openai = new ChatCompletionsRequestWriter(openai()).write(r, "m", true);
        ObjectNode compatible = new ChatCompletionsRequestWriter(compatible()).write(r, "m", true);

        assertThat(openai.get("stream").asBoolean()).isTrue();
        assertThat(openai.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(compatible.get("stream").asBoolean()).isTrue();
        assertThat(compatible.has("stream_options")).isFalse();
    }

    @Test
    void toolChoiceModesAndJsonObject() throws Exception {
        ChatRequest.Builder b = ChatRequest.builder().user("Hi")
                .tools(List.of(new ToolSpec("t", null, null))).responseFormat(ResponseFormat.JSON_OBJECT);
        ChatCompletionsRequestWriter w = new ChatCompletionsRequestWriter(openai());

        assertThat(w.write(b.toolChoice(ToolChoice.AUTO).build(), "m", false).get("tool_choice").asText()).isEqualTo("auto");
        assertThat(w.write(b.toolChoice(ToolChoice.NONE).build(), "m", false).get("tool_choice").asText()).isEqualTo("none");
        ObjectNode required = w.write(b.toolChoice(ToolChoice.REQUIRED).build(), "m", false);
        assertThat(required.get("tool_choice").asText()).isEqualTo("required");
        assertThat(required.at("/response_format/type").asText()).isEqualTo("json_object");
        // a tool without description or schema still gets an object schema
        assertThat(required.at("/tools/0/function"))
                .isEqualTo(Json.parse("{\"name\":\"t\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}"));
    }

    @Test
    void thinkingBudgetBecomesReasoningEffortForOpenAiOnly() {
        ChatCompletionsRequestWriter w = new ChatCompletionsRequestWriter(openai());
        assertThat(effort(w, 1024)).isEqualTo("low");
        assertThat(effort(w, 2048)).isEqualTo("low");
        assertThat(effort(w, 2049)).isEqualTo("medium");
        assertThat(effort(w, 8192)).isEqualTo("medium");
        assertThat(effort(w, 8193)).isEqualTo("high");
        assertThat(effort(w, 0)).isNull();
        assertThat(effort(new ChatCompletionsRequestWriter(compatible()), 4096)).isNull();
    }

    private static String effort(ChatCompletionsRequestWriter w, int budget) {
        JsonNode v = w.write(ChatRequest.builder().user("Hi").thinkingBudget(budget).build(), "o4-mini", false)
                .get("reasoning_effort");
        return v == null ? null : v.asText();
    }

    @Test
    void toolResultsInAUserMessageAndErrorsBecomeToolMessages() throws Exception {
        ChatRequest r = ChatRequest.builder().messages(List.of(
                ChatMessage.user("Weather and stock?"),
                new ChatMessage(Role.ASSISTANT, List.of(
                        new ContentPart.ToolUse(new ToolCall("a", "weather", "{}")),
                        new ContentPart.ToolUse(new ToolCall("b", "stock", "{}")))),
                new ChatMessage(Role.USER, List.of(
                        new ContentPart.ToolResult("a", "sunny", false),
                        new ContentPart.ToolResult("b", "market closed", true),
                        new ContentPart.Text("Summarise.")))))
                .build();

        JsonNode messages = new ChatCompletionsRequestWriter(openai()).write(r, "m", false).get("messages");

        assertThat(messages).isEqualTo(Json.parse("""
                [
                  {"role": "user", "content": "Weather and stock?"},
                  {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "a", "type": "function", "function": {"name": "weather", "arguments": "{}"}},
                    {"id": "b", "type": "function", "function": {"name": "stock", "arguments": "{}"}}]},
                  {"role": "tool", "tool_call_id": "a", "content": "sunny"},
                  {"role": "tool", "tool_call_id": "b", "content": "Error: market closed"},
                  {"role": "user", "content": "Summarise."}
                ]
                """));
    }
}
