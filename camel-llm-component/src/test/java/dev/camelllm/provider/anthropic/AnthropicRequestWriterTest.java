package dev.camelllm.provider.anthropic;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AnthropicRequestWriterTest {

    private static final String MODEL = "claude-sonnet-4-5";

    private static JsonNode write(ChatRequest request) throws Exception {
        return write(request, 1024, 0, false);
    }

    private static JsonNode write(ChatRequest request, int maxTokens, int budget, boolean stream) throws Exception {
        ObjectNode node = AnthropicRequestWriter.write(request, MODEL, maxTokens, budget, stream);
        // through text and back, as the upstream sees it
        return Json.parse(Json.write(node));
    }

    @Test
    void systemPromptAndSystemMessagesGoToTheTopLevelSystemField() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .systemPrompt("You are terse.")
                .addMessage(ChatMessage.system("Answer in French."))
                .user("Hi")
                .build();

        JsonNode body = write(request);

        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.get("system").asText()).isEqualTo("You are terse.\n\nAnswer in French.");
        assertThat(body.get("messages")).hasSize(1);
        JsonNode user = body.get("messages").get(0);
        assertThat(user.get("role").asText()).isEqualTo("user");
        assertThat(user.get("content").get(0).get("type").asText()).isEqualTo("text");
        assertThat(user.get("content").get(0).get("text").asText()).isEqualTo("Hi");
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("thinking")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void noSystemFieldWithoutASystemPrompt() throws Exception {
        JsonNode body = write(ChatRequest.builder().user("Hi").build());
        assertThat(body.has("system")).isFalse();
    }

    @Test
    void imagesAsBase64AndUrlSources() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .addMessage(new ChatMessage(Role.USER, List.of(
                        new ContentPart.Text("What is in these?"),
                        ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
                        ContentPart.Image.ofUrl("https://example.com/cat.jpg"))))
                .build();

        JsonNode content = write(request).get("messages").get(0).get("content");

        assertThat(content).hasSize(3);
        JsonNode b64 = content.get(1);
        assertThat(b64.get("type").asText()).isEqualTo("image");
        assertThat(b64.get("source").get("type").asText()).isEqualTo("base64");
        assertThat(b64.get("source").get("media_type").asText()).isEqualTo("image/png");
        assertThat(b64.get("source").get("data").asText()).isEqualTo("iVBORw0KGgo=");
        JsonNode url = content.get(2);
        assertThat(url.get("source").get("type").asText()).isEqualTo("url");
        assertThat(url.get("source").get("url").asText()).isEqualTo("https://example.com/cat.jpg");
    }

    @Test
    void base64ImageWithoutMediaTypeIsRejectedBeforeSending() {
        ChatRequest request = ChatRequest.builder()
                .addMessage(new ChatMessage(Role.USER, List.of(ContentPart.Image.ofBase64(null, "AAAA"))))
                .build();
        assertThatThrownBy(() -> write(request))
                .isInstanceOf(LlmInvalidRequestException.class)
                .hasMessageContaining("media type");
    }

    @Test
    void toolLoopEchoesThinkingAndMergesToolResultsIntoOneUserMessage() throws Exception {
        ChatMessage assistant = new ChatMessage(Role.ASSISTANT, List.of(
                new ContentPart.Thinking("I need both cities.", "sig-ErUBCkYIBhgCIkD"),
                new ContentPart.RedactedThinking("EmwKAhgBEgy3va3pzix"),
                new ContentPart.Text(""),
                new ContentPart.ToolUse(new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")),
                new ContentPart.ToolUse(new ToolCall("toolu_2", "get_weather", "{\"city\":\"Oslo\",\"days\":[1,2]}"))));
        ChatRequest request = ChatRequest.builder()
                .user("Weather in Paris and Oslo?")
                .addMessage(assistant)
                .addMessage(ChatMessage.toolResult("toolu_1", "18C sunny"))
                .addMessage(new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("toolu_2", "service down", true))))
                .build();

        JsonNode messages = write(request).get("messages");

        assertThat(messages).hasSize(3);
        JsonNode a = messages.get(1);
        assertThat(a.get("role").asText()).isEqualTo("assistant");
        JsonNode blocks = a.get("content");
        // the empty text part is left out: the API rejects empty text blocks
        assertThat(blocks).hasSize(4);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("thinking");
        assertThat(blocks.get(0).get("thinking").asText()).isEqualTo("I need both cities.");
        assertThat(blocks.get(0).get("signature").asText()).isEqualTo("sig-ErUBCkYIBhgCIkD");
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("redacted_thinking");
        assertThat(blocks.get(1).get("data").asText()).isEqualTo("EmwKAhgBEgy3va3pzix");
        assertThat(blocks.get(2).get("type").asText()).isEqualTo("tool_use");
        assertThat(blocks.get(2).get("id").asText()).isEqualTo("toolu_1");
        assertThat(blocks.get(2).get("name").asText()).isEqualTo("get_weather");
        assertThat(blocks.get(2).get("input").isObject()).isTrue();
        assertThat(blocks.get(2).get("input").get("city").asText()).isEqualTo("Paris");
        assertThat(blocks.get(3).get("input").get("days").get(1).asInt()).isEqualTo(2);

        JsonNode results = messages.get(2);
        assertThat(results.get("role").asText()).isEqualTo("user");
        assertThat(results.get("content")).hasSize(2);
        JsonNode r1 = results.get("content").get(0);
        assertThat(r1.get("type").asText()).isEqualTo("tool_result");
        assertThat(r1.get("tool_use_id").asText()).isEqualTo("toolu_1");
        assertThat(r1.get("content").asText()).isEqualTo("18C sunny");
        assertThat(r1.has("is_error")).isFalse();
        JsonNode r2 = results.get("content").get(1);
        assertThat(r2.get("tool_use_id").asText()).isEqualTo("toolu_2");
        assertThat(r2.get("is_error").asBoolean()).isTrue();
    }

    @Test
    void userTextAfterToolResultsJoinsTheSameUserMessage() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .user("Time?")
                .addMessage(new ChatMessage(Role.ASSISTANT,
                        List.of(new ContentPart.ToolUse(new ToolCall("toolu_9", "get_time", "{}")))))
                .addMessage(ChatMessage.toolResult("toolu_9", "12:00"))
                .user("And in Tokyo?")
                .build();

        JsonNode messages = write(request).get("messages");

        assertThat(messages).hasSize(3);
        JsonNode content = messages.get(2).get("content");
        assertThat(content.get(0).get("type").asText()).isEqualTo("tool_result");
        assertThat(content.get(1).get("type").asText()).isEqualTo("text");
        assertThat(content.get(1).get("text").asText()).isEqualTo("And in Tokyo?");
        // a no-argument tool call goes out as an empty object
        assertThat(messages.get(1).get("content").get(0).get("input").isObject()).isTrue();
        assertThat(messages.get(1).get("content").get(0).get("input")).isEmpty();
    }

    @Test
    void thinkingWithoutSignatureIsNotSent() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .user("Hi")
                .addMessage(new ChatMessage(Role.ASSISTANT, List.of(
                        new ContentPart.Thinking("reasoning from another provider", null),
                        new ContentPart.Text("Hello"))))
                .user("Again")
                .build();

        JsonNode blocks = write(request).get("messages").get(1).get("content");

        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("text");
    }

    @Test
    void toolArgumentsThatAreNotAJsonObjectAreRejected() {
        ChatRequest notJson = ChatRequest.builder()
                .user("x")
                .addMessage(new ChatMessage(Role.ASSISTANT,
                        List.of(new ContentPart.ToolUse(new ToolCall("t1", "f", "{\"a\":1}}")))))
                .addMessage(ChatMessage.toolResult("t1", "ok"))
                .build();
        assertThatThrownBy(() -> write(notJson)).isInstanceOf(LlmInvalidRequestException.class)
                .hasMessageContaining("not JSON");

        ChatRequest array = ChatRequest.builder()
                .user("x")
                .addMessage(new ChatMessage(Role.ASSISTANT,
                        List.of(new ContentPart.ToolUse(new ToolCall("t1", "f", "[1,2]")))))
                .build();
        assertThatThrownBy(() -> write(array)).isInstanceOf(LlmInvalidRequestException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void toolsWithNameDescriptionAndInputSchema() throws Exception {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string")),
                "required", List.of("city"));
        ChatRequest request = ChatRequest.builder()
                .user("Weather?")
                .tools(List.of(new ToolSpec("get_weather", "Current weather", schema),
                        new ToolSpec("get_time", null, null)))
                .build();

        JsonNode body = write(request);

        JsonNode tools = body.get("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).get("description").asText()).isEqualTo("Current weather");
        assertThat(tools.get(0).get("input_schema").get("properties").get("city").get("type").asText()).isEqualTo("string");
        assertThat(tools.get(0).get("input_schema").get("required").get(0).asText()).isEqualTo("city");
        assertThat(tools.get(1).has("description")).isFalse();
        assertThat(tools.get(1).get("input_schema").get("type").asText()).isEqualTo("object");
        assertThat(tools.get(0).has("parameters")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "auto, auto,",
            "none, none,",
            "required, any,",
            "any, any,",
            "get_weather, tool, get_weather" })
    void toolChoiceVariants(String option, String type, String name) throws Exception {
        ChatRequest request = ChatRequest.builder()
                .user("Weather?")
                .tools(List.of(new ToolSpec("get_weather", "Current weather", null)))
                .toolChoice(ToolChoice.parse(option))
                .build();

        JsonNode choice = write(request).get("tool_choice");

        assertThat(choice.get("type").asText()).isEqualTo(type);
        if (name == null) {
            assertThat(choice.has("name")).isFalse();
        } else {
            assertThat(choice.get("name").asText()).isEqualTo(name);
        }
    }

    @Test
    void toolChoiceWithoutToolsIsNotSent() throws Exception {
        JsonNode body = write(ChatRequest.builder().user("Hi").toolChoice(ToolChoice.REQUIRED).build());
        assertThat(body.has("tool_choice")).isFalse();
    }

    @Test
    void samplingOptionsStopSequencesThinkingAndStream() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .user("Count")
                .stopSequences(List.of("STOP", "\n\nHuman:"))
                .temperature(0.7)
                .topP(0.9)
                .topK(40)
                .seed(42L)
                .build();

        JsonNode body = write(request, 4096, 2048, true);

        assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.get("stop_sequences")).hasSize(2);
        assertThat(body.get("stop_sequences").get(1).asText()).isEqualTo("\n\nHuman:");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.get("top_k").asInt()).isEqualTo(40);
        assertThat(body.get("thinking").get("type").asText()).isEqualTo("enabled");
        assertThat(body.get("thinking").get("budget_tokens").asInt()).isEqualTo(2048);
        assertThat(body.get("stream").asBoolean()).isTrue();
        // the Messages API has no seed
        assertThat(body.has("seed")).isFalse();
    }

    @Test
    void jsonSchemaGoesNativelyAsOutputConfigFormat() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .systemPrompt("You extract data.")
                .user("Name: Ada")
                .responseFormat(ResponseFormat.jsonSchema("person",
                        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")))))
                .build();

        JsonNode body = write(request);

        assertThat(body.has("response_format")).isFalse();
        assertThat(body.get("output_config").get("format").get("type").asText()).isEqualTo("json_schema");
        assertThat(body.get("output_config").get("format").get("schema").get("properties").get("name").get("type").asText())
                .isEqualTo("string");
        // the schema is not repeated in the prompt: the API enforces it
        assertThat(body.get("system").asText()).isEqualTo("You extract data.");
    }

    @Test
    void jsonObjectBecomesASystemInstruction() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .systemPrompt("You extract data.")
                .user("Name: Ada")
                .responseFormat(ResponseFormat.JSON_OBJECT)
                .build();

        JsonNode body = write(request);

        assertThat(body.has("output_config")).isFalse();
        assertThat(body.get("system").asText()).startsWith("You extract data.\n\n").contains("JSON object");
    }

    @Test
    void thinkingBudgetChecks() {
        assertThat(AnthropicProvider.thinkingProblem(0, 1024)).isNull();
        assertThat(AnthropicProvider.thinkingProblem(1024, 4096)).isNull();
        assertThat(AnthropicProvider.thinkingProblem(1000, 4096)).contains("thinkingBudget").contains("1024");
        assertThat(AnthropicProvider.thinkingProblem(2048, 2048)).contains("thinkingBudget").contains("maxTokens");
    }
}
