package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;

/** What the official Java SDK makes of the encoders' output, read with its own mapper and validation. */
class OpenAiSdkCompatibilityTest {

    private static final ObjectMapper SDK = ObjectMappers.jsonMapper();
    private static final ResponseInfo INFO = new ResponseInfo("chatcmpl-sdk", "fast", 1_700_000_000L);

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    @Test
    void aCompleteAnswerValidates() throws Exception {
        byte[] body = format.encodeResponse(OpenAiResponseEncoderTest.response(List.of(
                new ContentPart.ToolUse(new ToolCall("call_1", "weather", "{\"city\":\"Rome\"}"))),
                FinishReason.TOOL_CALLS, new Usage(7, 3), "openai"), INFO);

        ChatCompletion completion = SDK.readValue(body, ChatCompletion.class).validate();

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageToolCall call = choice.message().toolCalls().orElseThrow().get(0);
        assertThat(call.asFunction().id()).isEqualTo("call_1");
        assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(10);
    }

    @Test
    void theSdksAccumulatorRebuildsAStreamedAnswer() throws Exception {
        StreamEncoder encoder = format.streamEncoder(
                new GatewayRequest("fast", ChatRequest.builder().user("hi").build(), true, true), INFO);
        String sse = encoder.start()
                + encoder.chunk(new ChatChunk.TextDelta("Checking "))
                + encoder.chunk(new ChatChunk.TextDelta("both."))
                + encoder.chunk(new ChatChunk.ToolCallDelta(1, "toolu_a", "weather", ""))
                + encoder.chunk(new ChatChunk.ToolCallDelta(1, null, null, "{\"city\":"))
                + encoder.chunk(new ChatChunk.ToolCallDelta(1, null, null, "\"Rome\"}"))
                + encoder.chunk(new ChatChunk.ToolCallComplete(1, new ToolCall("toolu_a", "weather", "{\"city\":\"Rome\"}")))
                + encoder.chunk(new ChatChunk.ToolCallComplete(4, new ToolCall("toolu_b", "now", "{}")))
                + encoder.finish(OpenAiResponseEncoderTest.response(List.of(new ContentPart.Text("Checking both.")),
                        FinishReason.TOOL_CALLS, new Usage(11, 6), "anthropic"));

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        for (String frame : sse.split("\n\n")) {
            String payload = frame.substring("data: ".length());
            if (!payload.equals("[DONE]")) {
                accumulator.accumulate(SDK.readValue(payload, ChatCompletionChunk.class).validate());
            }
        }
        ChatCompletion completion = accumulator.chatCompletion();

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).contains("Checking both.");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).extracting(c -> c.asFunction().id()).containsExactly("toolu_a", "toolu_b");
        assertThat(calls).extracting(c -> c.asFunction().function().name()).containsExactly("weather", "now");
        assertThat(calls).extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Rome\"}", "{}");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
    }
}
