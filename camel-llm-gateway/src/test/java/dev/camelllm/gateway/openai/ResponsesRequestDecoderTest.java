package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.spi.Json;

class ResponsesRequestDecoderTest {

    private static GatewayRequest decode(String json) throws Exception {
        return ResponsesRequestDecoder.decode(Json.parse(json));
    }

    @Test
    void itemsBecomeMessagesWithReasoningCallsAndOutputsInOrder() throws Exception {
        GatewayRequest request = decode("""
                {"model":"fast","instructions":"Be brief.","stream":true,"max_output_tokens":50,"temperature":0.2,
                 "reasoning":{"effort":"medium","summary":"auto"},"include":["reasoning.encrypted_content"],
                 "store":false,"parallel_tool_calls":true,"metadata":{"a":"b"},
                 "tools":[{"type":"function","name":"weather","description":"Weather","strict":true,
                           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
                 "tool_choice":{"type":"function","name":"weather"},
                 "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},
                 "input":[
                   {"role":"developer","content":"Use metric units."},
                   {"type":"message","role":"user","content":[{"type":"input_text","text":"Rome?"},
                     {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
                   {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"A."},{"type":"summary_text","text":"B."}],
                    "encrypted_content":"gAAAA-enc"},
                   {"type":"message","role":"assistant","id":"msg_1","status":"completed",
                    "content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
                   {"type":"function_call","id":"fc_1","call_id":"call_1","name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"},
                   {"type":"function_call_output","call_id":"call_1","output":"18C"}]}
                """);

        ChatRequest chat = request.chat();
        assertThat(request.model()).isEqualTo("fast");
        assertThat(request.stream()).isTrue();
        assertThat(chat.systemPrompt()).isEqualTo("Be brief.");
        assertThat(chat.maxTokens()).isEqualTo(50);
        assertThat(chat.thinkingBudget()).isEqualTo(8192);
        assertThat(chat.toolChoice()).isEqualTo(ToolChoice.tool("weather"));
        assertThat(chat.tools()).hasSize(1);
        assertThat(chat.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
        assertThat(chat.responseFormat().name()).isEqualTo("answer");
        assertThat(chat.responseFormat().strict()).isTrue();
        List<ChatMessage> m = chat.messages();
        assertThat(m).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(m.get(1).parts().get(1)).isEqualTo(ContentPart.Image.ofBase64("image/png", "iVBORw0KGgo="));
        assertThat(m.get(2).parts()).containsExactly(new ContentPart.Thinking("A.\n\nB.", "gAAAA-enc"),
                new ContentPart.Text("Checking."),
                new ContentPart.ToolUse(new ToolCall("call_1", "weather", "{\"city\":\"Rome\"}")));
        assertThat(m.get(3).parts()).containsExactly(new ContentPart.ToolResult("call_1", "18C", false));
    }

    @Test
    void aStringInputIsOneUserMessage() throws Exception {
        assertThat(decode("{\"model\":\"fast\",\"input\":\"Hi\"}").chat().messages()).containsExactly(ChatMessage.user("Hi"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":\"Hi\",\"previous_response_id\":\"resp_1\"}|previous_response_id|stores no responses",
            "{\"model\":\"m\",\"input\":\"Hi\",\"store\":true}|store|store: true is not supported",
            "{\"model\":\"m\",\"input\":\"Hi\",\"background\":true}|background|background",
            "{\"model\":\"m\",\"input\":\"Hi\",\"conversation\":\"conv_1\"}|conversation|state stored at OpenAI",
            "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}|input[0].type|item_reference",
            "{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\",\"id\":\"ws_1\"}]}|input[0].type|function tools only",
            "{\"model\":\"m\",\"input\":\"Hi\",\"tools\":[{\"type\":\"file_search\"}]}|tools[0].type|function tools only",
            "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}|input[0].role|must be",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}|input[0].call_id|is required",
            "{\"model\":\"m\",\"input\":[]}|input|non-empty array",
            "{\"model\":\"m\"}|input|is required",
            "{\"model\":\"m\",\"input\":\"Hi\",\"reasoning\":{\"effort\":\"max\"}}|reasoning.effort|must be",
            "{\"model\":\"m\",\"input\":\"Hi\",\"tool_choice\":\"required\"}|tool_choice|needs tools",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]}|input[0].content[0].file_id|keeps no files",
    })
    void whatTheGatewayCannotHonourIsA400NamingTheField(String body, String param, String message) throws Exception {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> decode(body));

        assertThat(e).as(body).isNotNull();
        assertThat(e.error().status()).isEqualTo(400);
        assertThat(e.error().param()).isEqualTo(param);
        assertThat(e.error().message()).contains(message);
    }
}
