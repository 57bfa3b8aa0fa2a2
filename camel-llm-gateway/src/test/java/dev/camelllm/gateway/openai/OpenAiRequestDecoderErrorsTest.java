package dev.camelllm.gateway.openai;

import static dev.camelllm.gateway.openai.OpenAiRequestDecoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.spi.Json;

/** Each kind of bad input is a 400 that names the field by its JSON path and says what was expected. */
class OpenAiRequestDecoderErrorsTest {

    private static final String USER = "{'role':'user','content':'hi'}";

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // missing
                bad("{'messages':[" + USER + "]}", "model", "model is required"),
                bad("{'model':'m'}", "messages", "messages is required"),
                bad(withMessages("{'content':'hi'}"), "messages[0].role", "messages[0].role is required"),
                bad(withMessages("{'role':'user'}"), "messages[0].content",
                        "messages[0].content is required in a user message"),
                bad(withMessages(USER, "{'role':'assistant','content':null}"), "messages[1].content",
                        "messages[1].content is required in an assistant message without tool_calls"),
                bad(withMessages("{'role':'tool','content':'18C'}"), "messages[0].tool_call_id",
                        "messages[0].tool_call_id is required"),
                bad(withMessages(USER, "{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{}}]}"),
                        "messages[1].tool_calls[0].function.name", "messages[1].tool_calls[0].function.name is required"),
                bad(request("'tools':[{'type':'function','function':{'description':'x'}}]"),
                        "tools[0].function.name", "tools[0].function.name is required"),
                bad(request("'response_format':{'type':'json_schema','json_schema':{'schema':{}}}"),
                        "response_format.json_schema.name", "response_format.json_schema.name is required"),
                // empty
                bad("{'model':'m','messages':[]}", "messages", "messages must be a non-empty array of messages"),
                bad("{'model':'  ','messages':[" + USER + "]}", "model", "model must be a non-empty string"),
                bad(withMessages("{'role':'user','content':[]}"), "messages[0].content",
                        "messages[0].content must be a string or a non-empty array of content parts"),
                // wrong type
                bad("{'model':7,'messages':[" + USER + "]}", "model", "model must be a string"),
                bad("{'model':'m','messages':{'role':'user'}}", "messages", "messages must be an array"),
                bad(withMessages("'hi'"), "messages[0]", "messages[0] must be an object"),
                bad(withMessages(USER, USER, "{'role':'user','content':42}"), "messages[2].content",
                        "messages[2].content must be a string or a non-empty array of content parts"),
                bad(withMessages("{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}"),
                        "messages[0].content[0].type", "messages[0].content[0].type must be \"text\" or \"image_url\""),
                bad(withMessages("{'role':'system','content':[{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}"),
                        "messages[0].content[0].type", "a system message takes only text parts"),
                bad(withMessages("{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}"),
                        "messages[0].content[0].image_url.url", "data:<media type>;base64,<data>"),
                bad(withMessages(USER, "{'role':'assistant','tool_calls':[{'id':'c','type':'function',"
                        + "'function':{'name':'t','arguments':{'a':1}}}]}"),
                        "messages[1].tool_calls[0].function.arguments",
                        "messages[1].tool_calls[0].function.arguments must be a string"),
                bad(request("'temperature':'hot'"), "temperature", "temperature must be a number from 0 to 2"),
                bad(request("'seed':1.5"), "seed", "seed must be an integer"),
                bad(request("'max_completion_tokens':2.5"), "max_completion_tokens",
                        "max_completion_tokens must be a positive integer"),
                bad(request("'stop':['a',1]"), "stop[1]", "stop[1] must be a string"),
                bad(request("'stream':'yes'"), "stream", "stream must be a boolean"),
                bad(request("'stream':true,'stream_options':{'include_usage':1}"), "stream_options.include_usage",
                        "stream_options.include_usage must be a boolean"),
                bad(request("'tools':{'type':'function'}"), "tools", "tools must be an array"),
                bad(request("'tools':[{'type':'custom','custom':{'name':'t'}}]"), "tools[0].type",
                        "tools[0].type must be \"function\""),
                bad(request("'tools':[{'type':'function','function':{'name':'t','parameters':'{}'}}]"),
                        "tools[0].function.parameters", "tools[0].function.parameters must be an object"),
                bad(request("'response_format':{'type':'xml'}"), "response_format.type",
                        "response_format.type must be \"text\", \"json_object\" or \"json_schema\""),
                // out of range
                bad(request("'temperature':2.5"), "temperature", "temperature must be a number from 0 to 2"),
                bad(request("'top_p':-0.1"), "top_p", "top_p must be a number from 0 to 1"),
                bad(request("'max_tokens':0"), "max_tokens", "max_tokens must be a positive integer"),
                bad(request("'stop':['a','b','c','d','e']"), "stop", "stop must be a string or an array of at most 4 strings"),
                bad(request("'reasoning_effort':'extreme'"), "reasoning_effort",
                        "reasoning_effort must be \"none\", \"minimal\", \"low\", \"medium\" or \"high\""),
                bad(request("'n':2"), "n", "n must be 1: the gateway returns one choice"),
                // unknown or unsupported role
                bad(withMessages("{'role':'robot','content':'beep'}"), "messages[0].role",
                        "messages[0].role must be one of \"system\", \"developer\", \"user\", \"assistant\", \"tool\""),
                bad(withMessages(USER, "{'role':'function','name':'f','content':'x'}"), "messages[1].role",
                        "messages[1].role \"function\" is not supported"),
                bad(request("'functions':[{'name':'f'}]"), "functions", "functions is not supported: use tools"),
                bad(request("'logprobs':true"), "logprobs", "logprobs is not supported"),
                // bad tool_choice
                bad(request("'tool_choice':'any'"), "tool_choice", "tool_choice must be \"auto\", \"none\", \"required\""),
                bad(request("'tool_choice':3"), "tool_choice", "tool_choice must be \"auto\", \"none\", \"required\""),
                bad(request("'tools':[{'type':'function','function':{'name':'t'}}],"
                        + "'tool_choice':{'type':'function','function':{'name':'other'}}"),
                        "tool_choice.function.name", "tool_choice.function.name must name one of the tools"),
                bad(request("'tools':[{'type':'function','function':{'name':'t'}}],'tool_choice':{'type':'function'}"),
                        "tool_choice.function", "tool_choice.function is required"),
                bad(request("'tool_choice':'required'"), "tool_choice", "tool_choice \"required\" needs tools"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badRequests")
    void badInputIsAnInvalidRequestNamingTheField(String body, String param, String message) {
        GatewayError error = decodeError(json(body));

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.message()).contains(param).contains(message);
    }

    @Test
    void aBodyThatIsNotAnObject() throws Exception {
        GatewayError error = decodeError(Json.parse("[1,2]"));

        assertThat(error.param()).isNull();
        assertThat(error.message()).isEqualTo("The request body must be a JSON object");
    }

    @Test
    void theMessageDoesNotEchoTheBadValue() {
        GatewayError error = decodeError(json(withMessages("{'role':'sk-secret-looking-role','content':'x'}")));

        assertThat(error.message()).doesNotContain("sk-secret");
    }

    private GatewayError decodeError(com.fasterxml.jackson.databind.JsonNode body) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> format.decode(body));
        assertThat(e).as("a GatewayException").isNotNull();
        return e.error();
    }

    private static Arguments bad(String body, String param, String message) {
        return Arguments.of(body, param, message);
    }

    private static String request(String fields) {
        return "{'model':'m','messages':[" + USER + "]," + fields + "}";
    }

    private static String withMessages(String... messages) {
        return "{'model':'m','messages':[" + String.join(",", messages) + "]}";
    }
}
