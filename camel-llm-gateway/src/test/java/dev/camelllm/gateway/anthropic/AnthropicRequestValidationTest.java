package dev.camelllm.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.spi.Json;

/** Every kind of bad input is a 400 naming the field by its JSON path. */
class AnthropicRequestValidationTest {

    private static final String VALID = """
            {"model": "m", "max_tokens": 4096, "messages": [{"role": "user", "content": "hi"}]}""";

    private final AnthropicMessagesFormat format = new AnthropicMessagesFormat();

    static Stream<Arguments> badFields() {
        return Stream.of(
                // field, its (bad) JSON value or null to remove it, expected param, expected message
                bad("model", null, "model", "model is required"),
                bad("model", "\" \"", "model", "model must be a non-empty string"),
                bad("model", "7", "model", "model must be a string"),
                bad("max_tokens", null, "max_tokens", "max_tokens is required"),
                bad("max_tokens", "\"100\"", "max_tokens", "max_tokens must be a positive integer"),
                bad("max_tokens", "0", "max_tokens", "max_tokens must be a positive integer"),
                bad("max_tokens", "1.5", "max_tokens", "max_tokens must be a positive integer"),
                bad("max_tokens", "99999999999", "max_tokens", "max_tokens must be a positive integer"),
                bad("system", "5", "system", "system must be a string or an array of text blocks"),
                bad("system", "[{\"type\": \"image\"}]", "system[0].type", "system[0].type must be \"text\""),
                bad("messages", null, "messages", "messages is required"),
                bad("messages", "{}", "messages", "messages must be an array"),
                bad("messages", "[]", "messages", "messages must hold at least one message"),
                bad("messages", "[\"hi\"]", "messages[0]", "messages[0] must be an object"),
                bad("messages", "[{\"content\": \"hi\"}]", "messages[0].role", "messages[0].role is required"),
                bad("messages", "[{\"role\": \"system\", \"content\": \"hi\"}]", "messages[0].role",
                        "messages[0].role cannot be \"system\": the Messages API takes the system prompt in the"
                                + " top-level system field"),
                bad("messages", "[{\"role\": \"tool\", \"content\": \"hi\"}]", "messages[0].role",
                        "messages[0].role must be \"user\" or \"assistant\""),
                bad("messages", "[{\"role\": \"user\"}]", "messages[0].content", "messages[0].content is required"),
                bad("messages", "[{\"role\": \"user\", \"content\": 42}]", "messages[0].content",
                        "messages[0].content must be a string or an array of content blocks"),
                bad("messages", "[{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\":"
                        + " [{\"type\": \"document\", \"source\": {}}]}]", "messages[1].content[0].type",
                        "messages[1].content[0].type \"document\" is not supported: expected text, image, tool_use,"
                                + " tool_result, thinking or redacted_thinking"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"text\": \"a\"}]}]",
                        "messages[0].content[0].type", "messages[0].content[0].type is required"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": 5}]}]",
                        "messages[0].content[0].text", "messages[0].content[0].text must be a string"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t\","
                        + " \"name\": \"f\", \"input\": {}}]}]", "messages[0].content[0].type",
                        "messages[0].content[0] is a tool_use block, which only assistant messages can hold"),
                bad("messages", "[{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_result\","
                        + " \"tool_use_id\": \"t\"}]}]", "messages[0].content[0].type",
                        "messages[0].content[0] is a tool_result block, which only user messages can hold"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"thinking\", \"thinking\": \"x\"}]}]",
                        "messages[0].content[0].type",
                        "messages[0].content[0] is a thinking block, which only assistant messages can hold"),
                bad("messages", "[{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t\","
                        + " \"name\": \"f\", \"input\": \"x\"}]}]", "messages[0].content[0].input",
                        "messages[0].content[0].input must be an object"),
                bad("messages", "[{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"name\": \"f\"}]}]",
                        "messages[0].content[0].id", "messages[0].content[0].id is required"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\"}]}]",
                        "messages[0].content[0].tool_use_id", "messages[0].content[0].tool_use_id is required"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\":"
                        + " \"t\", \"content\": [{\"type\": \"image\", \"source\": {}}]}]}]",
                        "messages[0].content[0].content[0].type", "messages[0].content[0].content[0].type \"image\""
                                + " is not supported in a tool result: this gateway passes on text only"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\":"
                        + " \"t\", \"is_error\": \"yes\"}]}]", "messages[0].content[0].is_error",
                        "messages[0].content[0].is_error must be a boolean"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"source\":"
                        + " {\"type\": \"file\", \"file_id\": \"f\"}}]}]", "messages[0].content[0].source.type",
                        "messages[0].content[0].source.type \"file\" is not supported: expected base64 or url"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"source\":"
                        + " {\"type\": \"base64\", \"data\": \"AAAA\"}}]}]", "messages[0].content[0].source.media_type",
                        "messages[0].content[0].source.media_type is required"),
                bad("messages", "[{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}]",
                        "messages[0].content[0].source", "messages[0].content[0].source is required"),
                bad("temperature", "1.5", "temperature", "temperature must be a number from 0 to 1"),
                bad("temperature", "\"hot\"", "temperature", "temperature must be a number from 0 to 1"),
                bad("top_p", "-0.1", "top_p", "top_p must be a number from 0 to 1"),
                bad("top_k", "0", "top_k", "top_k must be a positive integer"),
                bad("stop_sequences", "\"END\"", "stop_sequences", "stop_sequences must be an array"),
                bad("stop_sequences", "[\"a\", 1]", "stop_sequences[1]", "stop_sequences[1] must be a string"),
                bad("tools", "[{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]", "tools[0].type",
                        "tools[0].type \"web_search_20250305\" is a server tool, which this gateway does not support:"
                                + " only custom tools (name, description, input_schema)"),
                bad("tools", "[{\"name\": \"f\"}]", "tools[0].input_schema", "tools[0].input_schema is required"),
                bad("tools", "[{\"name\": \"f\", \"input_schema\": []}]", "tools[0].input_schema",
                        "tools[0].input_schema must be an object"),
                bad("tools", "[{\"input_schema\": {}}]", "tools[0].name", "tools[0].name is required"),
                bad("tool_choice", "\"auto\"", "tool_choice", "tool_choice must be an object"),
                bad("tool_choice", "{\"type\": \"required\"}", "tool_choice.type",
                        "tool_choice.type must be one of \"auto\", \"any\", \"none\", \"tool\""),
                bad("tool_choice", "{\"type\": \"tool\"}", "tool_choice.name", "tool_choice.name is required"),
                bad("thinking", "{\"type\": \"enabled\"}", "thinking.budget_tokens",
                        "thinking.budget_tokens is required"),
                bad("thinking", "{\"type\": \"enabled\", \"budget_tokens\": 512}", "thinking.budget_tokens",
                        "thinking.budget_tokens must be an integer of at least 1024"),
                bad("thinking", "{\"type\": \"enabled\", \"budget_tokens\": 4096}", "thinking.budget_tokens",
                        "thinking.budget_tokens (4096) must be less than max_tokens (4096)"),
                bad("thinking", "{\"type\": \"on\"}", "thinking.type",
                        "thinking.type must be one of \"enabled\", \"disabled\", \"adaptive\""),
                bad("thinking", "true", "thinking", "thinking must be an object"),
                bad("stream", "\"yes\"", "stream", "stream must be a boolean"));
    }

    private static Arguments bad(String field, String value, String param, String message) {
        return Arguments.of(field, value, param, message);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badFields")
    void rejectsBadField(String field, String value, String param, String message) throws JsonProcessingException {
        ObjectNode body = (ObjectNode) Json.parse(VALID);
        if (value == null) {
            body.remove(field);
        } else {
            body.set(field, Json.parse(value));
        }

        GatewayError error = rejected(body);

        assertThat(error.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.message()).isEqualTo(message);
    }

    @Test
    void rejectsABodyThatIsNoObject() throws JsonProcessingException {
        GatewayError error = rejected(Json.parse("[]"));

        assertThat(error.param()).isNull();
        assertThat(error.message()).isEqualTo("The request body must be a JSON object");
    }

    @Test
    void acceptsTheValidBase() throws JsonProcessingException {
        assertThat(format.decode(Json.parse(VALID)).model()).isEqualTo("m");
    }

    private GatewayError rejected(JsonNode body) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> format.decode(body));
        assertThat(e).as("a GatewayException").isNotNull();
        return e.error();
    }
}
