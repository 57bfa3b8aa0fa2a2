package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

class OpenAiRequestDecoderTest {

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    /** JSON written with single quotes, to keep the tests readable. */
    static JsonNode json(String singleQuoted) {
        try {
            return Json.parse(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    @Test
    void decodesEveryField() {
        GatewayRequest request = format.decode(json("""
                {'model':'gpt-4o-mini',
                 'messages':[
                   {'role':'system','content':'Be brief.'},
                   {'role':'developer','content':[{'type':'text','text':'Use '},{'type':'text','text':'metric units.'}]},
                   {'role':'user','content':'How far is the moon?','name':'ann'}],
                 'max_completion_tokens':300,
                 'temperature':0.7,
                 'top_p':0.9,
                 'seed':42,
                 'stop':['END','STOP'],
                 'tools':[{'type':'function','function':{'name':'lookup','description':'Looks things up',
                    'parameters':{'type':'object','properties':{'q':{'type':'string'}},'required':['q']}}}],
                 'tool_choice':{'type':'function','function':{'name':'lookup'}},
                 'response_format':{'type':'json_schema','json_schema':{'name':'answer','strict':true,
                    'schema':{'type':'object','properties':{'km':{'type':'number'}}}}},
                 'reasoning_effort':'medium',
                 'stream':true,
                 'stream_options':{'include_usage':true},
                 'n':1,
                 'user':'u-1','metadata':{'a':'b'},'logprobs':false,'parallel_tool_calls':true,'store':false}
                """));

        assertThat(request.model()).isEqualTo("gpt-4o-mini");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        ChatRequest chat = request.chat();
        assertThat(chat.model()).isNull();
        assertThat(chat.messages()).containsExactly(
                ChatMessage.system("Be brief."),
                ChatMessage.system("Use metric units."),
                ChatMessage.user("How far is the moon?"));
        assertThat(chat.maxTokens()).isEqualTo(300);
        assertThat(chat.temperature()).isEqualTo(0.7);
        assertThat(chat.topP()).isEqualTo(0.9);
        assertThat(chat.seed()).isEqualTo(42L);
        assertThat(chat.stopSequences()).containsExactly("END", "STOP");
        assertThat(chat.tools()).containsExactly(new ToolSpec("lookup", "Looks things up", Map.of(
                "type", "object",
                "properties", Map.of("q", Map.of("type", "string")),
                "required", List.of("q"))));
        assertThat(chat.toolChoice()).isEqualTo(ToolChoice.tool("lookup"));
        assertThat(chat.responseFormat()).isEqualTo(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "answer",
                Map.of("type", "object", "properties", Map.of("km", Map.of("type", "number"))), true));
        assertThat(chat.thinkingBudget()).isEqualTo(8192);
    }

    @Test
    void aMinimalRequestLeavesEverythingElseUnset() {
        GatewayRequest request = format.decode(json("{'model':'m','messages':[{'role':'user','content':'hi'}]}"));

        assertThat(request.stream()).isFalse();
        assertThat(request.includeUsage()).isFalse();
        ChatRequest chat = request.chat();
        assertThat(chat.maxTokens()).isNull();
        assertThat(chat.temperature()).isNull();
        assertThat(chat.topP()).isNull();
        assertThat(chat.seed()).isNull();
        assertThat(chat.stopSequences()).isEmpty();
        assertThat(chat.tools()).isEmpty();
        assertThat(chat.toolChoice()).isNull();
        assertThat(chat.responseFormat()).isNull();
        assertThat(chat.thinkingBudget()).isNull();
    }

    @Test
    void nullMeansNotSet() {
        ChatRequest chat = format.decode(json("""
                {'model':'m','messages':[{'role':'user','content':'hi'}],'temperature':null,'max_tokens':null,
                 'stop':null,'tools':null,'tool_choice':null,'response_format':null,'reasoning_effort':null,
                 'stream':null,'n':null,'seed':null}
                """)).chat();

        assertThat(chat.temperature()).isNull();
        assertThat(chat.maxTokens()).isNull();
        assertThat(chat.stopSequences()).isEmpty();
        assertThat(chat.thinkingBudget()).isNull();
    }

    @Test
    void maxTokensIsTheOlderNameAndTheNewerWins() {
        assertThat(decodeWith("'max_tokens':50").maxTokens()).isEqualTo(50);
        assertThat(decodeWith("'max_tokens':50,'max_completion_tokens':70").maxTokens()).isEqualTo(70);
    }

    @Test
    void aSingleStopStringIsOneSequence() {
        assertThat(decodeWith("'stop':'###'").stopSequences()).containsExactly("###");
    }

    @Test
    void streamOptionsWithoutStreamingAskForNoUsageChunk() {
        GatewayRequest request = format.decode(json(
                "{'model':'m','messages':[{'role':'user','content':'hi'}],'stream_options':{'include_usage':true}}"));
        assertThat(request.includeUsage()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"none,0", "minimal,1024", "low,2048", "medium,8192", "high,24576"})
    void reasoningEffortBecomesAThinkingBudget(String effort, int budget) {
        assertThat(decodeWith("'reasoning_effort':'" + effort + "'").thinkingBudget()).isEqualTo(budget);
    }

    @ParameterizedTest
    @CsvSource({"auto,AUTO", "none,NONE", "required,REQUIRED"})
    void toolChoiceModes(String wire, ToolChoice.Mode mode) {
        String tools = "'tools':[{'type':'function','function':{'name':'t'}}],";
        assertThat(decodeWith(tools + "'tool_choice':'" + wire + "'").toolChoice().mode()).isEqualTo(mode);
    }

    @Test
    void aToolWithoutParametersGetsAnEmptyObjectSchema() {
        ToolSpec spec = decodeWith("'tools':[{'type':'function','function':{'name':'now'}}]").tools().get(0);
        assertThat(spec.description()).isNull();
        assertThat(spec.parameters()).isEqualTo(Map.of("type", "object", "properties", Map.of()));
    }

    @Test
    void responseFormatTextAndJsonObject() {
        assertThat(decodeWith("'response_format':{'type':'text'}").responseFormat()).isEqualTo(ResponseFormat.TEXT);
        assertThat(decodeWith("'response_format':{'type':'json_object'}").responseFormat())
                .isEqualTo(ResponseFormat.JSON_OBJECT);
        ResponseFormat notStrict = decodeWith("'response_format':{'type':'json_schema','json_schema':{'name':'x'}}")
                .responseFormat();
        assertThat(notStrict.strict()).isFalse();
        assertThat(notStrict.schema()).isNull();
    }

    @Test
    void imagesFromDataUrlsAndHttpUrls() {
        ChatMessage user = format.decode(json("""
                {'model':'m','messages':[{'role':'user','content':[
                  {'type':'text','text':'Compare these'},
                  {'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo=','detail':'low'}},
                  {'type':'image_url','image_url':{'url':'https://example.com/cat.jpg'}}]}]}
                """)).chat().messages().get(0);

        assertThat(user.role()).isEqualTo(Role.USER);
        assertThat(user.parts()).containsExactly(
                new ContentPart.Text("Compare these"),
                ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="),
                ContentPart.Image.ofUrl("https://example.com/cat.jpg"));
    }

    @Test
    void assistantToolCallsAndToolResults() throws Exception {
        List<ChatMessage> messages = format.decode(Json.parse("""
                {"model":"m","messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"weather","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18C"},
                  {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21"},{"type":"text","text":"C"}]}]}
                """)).chat().messages();

        assertThat(messages.get(1)).isEqualTo(new ChatMessage(Role.ASSISTANT, List.of(
                new ContentPart.ToolUse(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")),
                new ContentPart.ToolUse(new ToolCall("call_2", "weather", "{}")))));
        assertThat(messages.get(2)).isEqualTo(ChatMessage.toolResult("call_1", "18C"));
        assertThat(messages.get(3)).isEqualTo(ChatMessage.toolResult("call_2", "21C"));
    }

    @Test
    void anAnswerSentBackAsHistoryDecodesToTheSameMessage() throws Exception {
        ChatMessage answer = new ChatMessage(Role.ASSISTANT, List.of(
                new ContentPart.Thinking("The user wants the time.", null),
                new ContentPart.Text("Let me check."),
                new ContentPart.ToolUse(new ToolCall("call_9", "clock", "{\"tz\":\"UTC\"}"))));
        ChatResponse response = new ChatResponse(answer, FinishReason.TOOL_CALLS, "tool_calls", Usage.EMPTY,
                "openai", "m", -1, 5);
        JsonNode encoded = Json.MAPPER.readTree(format.encodeResponse(response, new ResponseInfo("chatcmpl-1", "m", 1)));

        ObjectNode body = (ObjectNode) json("{'model':'m','messages':[{'role':'user','content':'time?'}]}");
        ArrayNode history = (ArrayNode) body.get("messages");
        history.add(encoded.at("/choices/0/message"));
        history.add(json("{'role':'tool','tool_call_id':'call_9','content':'12:00'}"));
        List<ChatMessage> decoded = format.decode(body).chat().messages();

        assertThat(decoded.get(1)).isEqualTo(answer);
        assertThat(decoded.get(2)).isEqualTo(ChatMessage.toolResult("call_9", "12:00"));
    }

    @Test
    void reasoningContentBecomesThinkingBeforeTheText() {
        ChatMessage assistant = format.decode(json("""
                {'model':'m','messages':[{'role':'user','content':'2+2?'},
                  {'role':'assistant','content':'4','reasoning_content':'Two and two make four.'},
                  {'role':'user','content':'thanks'}]}
                """)).chat().messages().get(1);

        assertThat(assistant.parts()).containsExactly(
                new ContentPart.Thinking("Two and two make four.", null),
                new ContentPart.Text("4"));
    }

    @Test
    void anEmptyAssistantTextBesideToolCallsIsNoTextPart() {
        ChatMessage assistant = format.decode(json("""
                {'model':'m','messages':[{'role':'user','content':'go'},
                  {'role':'assistant','content':'','tool_calls':[{'id':'c','type':'function','function':{'name':'t','arguments':'{}'}}]}]}
                """)).chat().messages().get(1);

        assertThat(assistant.parts()).containsExactly(new ContentPart.ToolUse(new ToolCall("c", "t", "{}")));
    }

    private ChatRequest decodeWith(String fields) {
        return format.decode(json("{'model':'m','messages':[{'role':'user','content':'hi'}]," + fields + "}")).chat();
    }
}
