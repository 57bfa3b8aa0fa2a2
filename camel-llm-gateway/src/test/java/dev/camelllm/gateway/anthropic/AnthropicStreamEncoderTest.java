package dev.camelllm.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

class AnthropicStreamEncoderTest {

    private static final ResponseInfo INFO = new ResponseInfo("msg_gw_7", "claude-sonnet-4-5", 1_700_000_000L);
    private static final GatewayRequest REQUEST = new GatewayRequest("claude-sonnet-4-5",
            ChatRequest.builder().user("hi").build(), true, true);

    record Frame(String event, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }

        int index() {
            return data.path("index").asInt(-1);
        }

        String deltaType() {
            return data.path("delta").path("type").asText();
        }
    }

    /** Feeds chunks to an encoder as the gateway does (the response assembled from the same chunks). */
    private static final class Run {
        final StreamEncoder encoder = new AnthropicMessagesFormat().streamEncoder(REQUEST, INFO);
        final ResponseAssembler assembler = new ResponseAssembler();
        final StringBuilder out = new StringBuilder();

        Run() {
            out.append(encoder.start());
        }

        String feed(ChatChunk... chunks) {
            StringBuilder now = new StringBuilder();
            for (ChatChunk chunk : chunks) {
                assembler.accept(chunk);
                now.append(encoder.chunk(chunk));
            }
            out.append(now);
            return now.toString();
        }

        List<Frame> finish() {
            // the Anthropic provider's name: its usage holds the cache tokens beside the input tokens, as Anthropic's does
            out.append(encoder.finish(assembler.build("anthropic", "m", 5, 10)));
            return frames(out.toString());
        }
    }

    static List<Frame> frames(String sse) {
        List<Frame> frames = new ArrayList<>();
        assertThat(sse).endsWith("\n\n");
        for (String frame : sse.split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            try {
                Frame f = new Frame(lines[0].substring(7), Json.parse(lines[1].substring(6)));
                assertThat(f.type()).as("the data's type names the event").isEqualTo(f.event());
                frames.add(f);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + lines[1], e);
            }
        }
        return frames;
    }

    /** "event" or "event:index:deltaType", for comparing the shape of a stream at a glance. */
    static List<String> shape(List<Frame> frames) {
        return frames.stream().map(f -> switch (f.event()) {
            case "content_block_start" -> "start:" + f.index() + ":" + f.data().path("content_block").path("type")
                    .asText();
            case "content_block_delta" -> "delta:" + f.index() + ":" + f.deltaType();
            case "content_block_stop" -> "stop:" + f.index();
            default -> f.event();
        }).collect(Collectors.toList());
    }

    static String partialJson(List<Frame> frames, int index) {
        return frames.stream().filter(f -> f.index() == index && "input_json_delta".equals(f.deltaType()))
                .map(f -> f.data().path("delta").path("partial_json").asText()).collect(Collectors.joining());
    }

    static JsonNode blockStart(List<Frame> frames, int index) {
        return frames.stream().filter(f -> f.event().equals("content_block_start") && f.index() == index)
                .findFirst().orElseThrow().data().get("content_block");
    }

    @Test
    void thinkingThenTextThenTwoToolCalls() throws JsonProcessingException {
        Run run = new Run();
        // as the Anthropic provider streams them: a tool call opens with id and name and no arguments
        run.feed(new ChatChunk.UsageUpdate(new Usage(100, 0, 20, 3)),
                new ChatChunk.ThinkingDelta("Two cities, "),
                new ChatChunk.ThinkingDelta("two calls."),
                new ChatChunk.ThinkingSignature("c2lnbmF0dXJl"),
                new ChatChunk.TextDelta("Let me "),
                new ChatChunk.TextDelta("check."),
                new ChatChunk.ToolCallDelta(0, "toolu_a", "get_weather", ""),
                new ChatChunk.ToolCallDelta(0, null, null, "{\"city\":"),
                new ChatChunk.ToolCallDelta(0, null, null, " \"Paris\"}"),
                new ChatChunk.ToolCallComplete(0, new ToolCall("toolu_a", "get_weather", "{\"city\":\"Paris\"}")),
                new ChatChunk.ToolCallDelta(1, "toolu_b", "get_time", ""),
                new ChatChunk.ToolCallDelta(1, null, null, "{\"tz\": \"Europe/Rome\"}"),
                new ChatChunk.ToolCallComplete(1, new ToolCall("toolu_b", "get_time", "{\"tz\":\"Europe/Rome\"}")),
                new ChatChunk.UsageUpdate(new Usage(0, 80)),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_use"));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:thinking", "delta:0:thinking_delta", "delta:0:thinking_delta", "delta:0:signature_delta",
                "stop:0",
                "start:1:text", "delta:1:text_delta", "delta:1:text_delta", "stop:1",
                "start:2:tool_use", "delta:2:input_json_delta", "delta:2:input_json_delta", "stop:2",
                "start:3:tool_use", "delta:3:input_json_delta", "stop:3",
                "message_delta", "message_stop");

        assertThat(frames.get(0).data()).isEqualTo(Json.parse("""
                {"type": "message_start", "message": {"id": "msg_gw_7", "type": "message", "role": "assistant",
                 "model": "claude-sonnet-4-5", "content": [], "stop_reason": null, "stop_sequence": null,
                 "usage": {"input_tokens": 0, "output_tokens": 0}}}"""));
        assertThat(blockStart(frames, 0)).isEqualTo(Json.parse(
                "{\"type\": \"thinking\", \"thinking\": \"\", \"signature\": \"\"}"));
        assertThat(frames.get(4).data().get("delta")).isEqualTo(Json.parse(
                "{\"type\": \"signature_delta\", \"signature\": \"c2lnbmF0dXJl\"}"));
        assertThat(blockStart(frames, 1)).isEqualTo(Json.parse("{\"type\": \"text\", \"text\": \"\"}"));
        assertThat(frames.get(7).data().get("delta")).isEqualTo(Json.parse(
                "{\"type\": \"text_delta\", \"text\": \"Let me \"}"));
        assertThat(blockStart(frames, 2)).isEqualTo(Json.parse(
                "{\"type\": \"tool_use\", \"id\": \"toolu_a\", \"name\": \"get_weather\", \"input\": {}}"));
        assertThat(blockStart(frames, 3)).isEqualTo(Json.parse(
                "{\"type\": \"tool_use\", \"id\": \"toolu_b\", \"name\": \"get_time\", \"input\": {}}"));
        assertThat(partialJson(frames, 2)).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(partialJson(frames, 3)).isEqualTo("{\"tz\": \"Europe/Rome\"}");
        assertThat(frames.get(frames.size() - 2).data()).isEqualTo(Json.parse("""
                {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
                 "usage": {"input_tokens": 100, "output_tokens": 80, "cache_read_input_tokens": 20,
                           "cache_creation_input_tokens": 3}}"""));
        assertThat(frames.get(frames.size() - 1).data()).isEqualTo(Json.parse("{\"type\": \"message_stop\"}"));
    }

    @Test
    void theAnthropicSdkAccumulatesTheStream() {
        Run run = new Run();
        run.feed(new ChatChunk.ThinkingDelta("hmm"), new ChatChunk.ThinkingSignature("sig"),
                new ChatChunk.TextDelta("Hi"),
                new ChatChunk.ToolCallDelta(0, "call_1", "f", "{\"a\":"),
                new ChatChunk.ToolCallDelta(0, "call_1", "f", "1}"),
                new ChatChunk.UsageUpdate(new Usage(7, 9)),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"),
                new ChatChunk.ToolCallComplete(0, new ToolCall("call_1", "f", "{\"a\":1}")));
        run.finish();

        MessageAccumulator accumulator = MessageAccumulator.create();
        for (Frame frame : frames(run.out.toString())) {
            accumulator.accumulate(ObjectMappers.jsonMapper().convertValue(frame.data(), RawMessageStreamEvent.class));
        }
        Message message = accumulator.message();

        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(3);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("hmm");
        assertThat(content.get(0).asThinking().signature()).isEqualTo("sig");
        assertThat(content.get(1).asText().text()).isEqualTo("Hi");
        assertThat(content.get(2).asToolUse().id()).isEqualTo("call_1");
        assertThat(content.get(2).asToolUse()._input().toString()).isEqualTo("{a=1}");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(7);
        assertThat(message.usage().outputTokens()).isEqualTo(9);
    }

    @Test
    void interleavedToolCallsComeOutAsSeparateBlocks() {
        Run run = new Run();
        // an OpenAI-compatible upstream streaming two calls side by side, completing both at the end
        String early = run.feed(
                new ChatChunk.TextDelta("Both:"),
                new ChatChunk.ToolCallDelta(0, "call_a", "f", "{\"a\""),
                new ChatChunk.ToolCallDelta(1, "call_b", "g", "{\"b\""),
                new ChatChunk.ToolCallDelta(0, "call_a", "f", ": 1}"),
                new ChatChunk.ToolCallDelta(1, "call_b", "g", ": 2}"));
        String atCompletion = run.feed(
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"),
                new ChatChunk.ToolCallComplete(0, new ToolCall("call_a", "f", "{\"a\": 1}")),
                new ChatChunk.ToolCallComplete(1, new ToolCall("call_b", "g", "{\"b\": 2}")));
        List<Frame> frames = run.finish();

        // the second call waits while the first one's block is open
        assertThat(early).doesNotContain("call_b");
        assertThat(atCompletion).contains("call_b");
        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:text", "delta:0:text_delta", "stop:0",
                "start:1:tool_use", "delta:1:input_json_delta", "delta:1:input_json_delta", "stop:1",
                "start:2:tool_use", "delta:2:input_json_delta", "delta:2:input_json_delta", "stop:2",
                "message_delta", "message_stop");
        assertThat(blockStart(frames, 1).get("id").asText()).isEqualTo("call_a");
        assertThat(blockStart(frames, 2).get("id").asText()).isEqualTo("call_b");
        assertThat(partialJson(frames, 1)).isEqualTo("{\"a\": 1}");
        assertThat(partialJson(frames, 2)).isEqualTo("{\"b\": 2}");
    }

    @Test
    void textDuringAnOpenToolCallFollowsItsBlock() {
        Run run = new Run();
        run.feed(new ChatChunk.ToolCallDelta(0, "call_a", "f", "{\"a\""),
                new ChatChunk.TextDelta("aside"),
                new ChatChunk.ToolCallDelta(0, "call_a", "f", ": 1}"));
        List<Frame> frames = run.finish(); // the call never completes: the answer's end closes it

        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:tool_use", "delta:0:input_json_delta", "delta:0:input_json_delta", "stop:0",
                "start:1:text", "delta:1:text_delta", "stop:1",
                "message_delta", "message_stop");
        assertThat(partialJson(frames, 0)).isEqualTo("{\"a\": 1}");
    }

    @Test
    void unfinishedInterleavedCallsAllComeOutAtTheEnd() {
        Run run = new Run();
        run.feed(new ChatChunk.ToolCallDelta(0, "call_a", "f", "{\"a\""),
                new ChatChunk.ToolCallDelta(1, "call_b", "g", "{\"b\""),
                new ChatChunk.ToolCallDelta(0, "call_a", "f", ": 1}"),
                new ChatChunk.ToolCallDelta(1, "call_b", "g", ": 2}"));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:tool_use", "delta:0:input_json_delta", "delta:0:input_json_delta", "stop:0",
                "start:1:tool_use", "delta:1:input_json_delta", "delta:1:input_json_delta", "stop:1",
                "message_delta", "message_stop");
        assertThat(partialJson(frames, 1)).isEqualTo("{\"b\": 2}");
    }

    @Test
    void aCompleteCallWithoutDeltasIsOneBlock() {
        Run run = new Run();
        run.feed(new ChatChunk.TextDelta("Calling."),
                new ChatChunk.ToolCallComplete(0, new ToolCall("call_1", "lookup", "{\"q\":\"x\"}")));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:text", "delta:0:text_delta", "stop:0",
                "start:1:tool_use", "delta:1:input_json_delta", "stop:1",
                "message_delta", "message_stop");
        assertThat(blockStart(frames, 1).get("name").asText()).isEqualTo("lookup");
        assertThat(partialJson(frames, 1)).isEqualTo("{\"q\":\"x\"}");
        // the assembled answer had a tool call but no Finish chunk: it still stops for tool_use
        assertThat(frames.get(frames.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void argumentsOnlyTheCompletionBringsAreAdded() {
        Run run = new Run();
        // a no-argument tool (Anthropic sends only ""), and a call whose completion has more than was streamed
        run.feed(new ChatChunk.ToolCallDelta(0, "t0", "now", ""),
                new ChatChunk.ToolCallComplete(0, new ToolCall("t0", "now", "{}")),
                new ChatChunk.ToolCallDelta(1, "t1", "f", "{\"a\":"),
                new ChatChunk.ToolCallComplete(1, new ToolCall("t1", "f", "{\"a\":2}")));
        List<Frame> frames = run.finish();

        assertThat(partialJson(frames, 0)).isEqualTo("{}");
        assertThat(partialJson(frames, 1)).isEqualTo("{\"a\":2}");
    }

    @Test
    void aCallWhoseNameComesLateOpensWhenItDoes() {
        Run run = new Run();
        run.feed(new ChatChunk.ToolCallDelta(0, null, null, "{\"x\""),
                new ChatChunk.ToolCallDelta(0, null, "f", ": 1}"));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly("message_start", "start:0:tool_use", "delta:0:input_json_delta",
                "stop:0", "message_delta", "message_stop");
        assertThat(partialJson(frames, 0)).isEqualTo("{\"x\": 1}");
        // the upstream sent no id: one is made up, as a tool_result must name it
        assertThat(blockStart(frames, 0).get("id").asText()).startsWith("toolu_");
    }

    @Test
    void redactedAndRepeatedThinking() {
        Run run = new Run();
        run.feed(new ChatChunk.ThinkingDelta("first"), new ChatChunk.ThinkingSignature("s1"),
                new ChatChunk.ThinkingDelta("second"), new ChatChunk.ThinkingSignature("s2"),
                new ChatChunk.RedactedThinking("opaque"),
                new ChatChunk.TextDelta(""),
                new ChatChunk.TextDelta("done"));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly(
                "message_start",
                "start:0:thinking", "delta:0:thinking_delta", "delta:0:signature_delta", "stop:0",
                "start:1:thinking", "delta:1:thinking_delta", "delta:1:signature_delta", "stop:1",
                "start:2:redacted_thinking", "stop:2",
                "start:3:text", "delta:3:text_delta", "stop:3",
                "message_delta", "message_stop");
        assertThat(blockStart(frames, 2).get("data").asText()).isEqualTo("opaque");
        assertThat(frames.get(frames.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void thinkingWithoutSignatureHasNoSignatureDelta() {
        Run run = new Run();
        run.feed(new ChatChunk.ThinkingDelta("reasoning_content"), new ChatChunk.TextDelta("answer"),
                new ChatChunk.Finish(FinishReason.LENGTH, "length"));
        List<Frame> frames = run.finish();

        assertThat(shape(frames)).containsExactly("message_start", "start:0:thinking", "delta:0:thinking_delta",
                "stop:0", "start:1:text", "delta:1:text_delta", "stop:1", "message_delta", "message_stop");
        assertThat(frames.get(frames.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void anEmptyAnswerIsStillAWholeMessage() {
        List<Frame> frames = new Run().finish();

        assertThat(shape(frames)).containsExactly("message_start", "message_delta", "message_stop");
    }

    @Test
    void errorFrame() {
        StreamEncoder encoder = new AnthropicMessagesFormat().streamEncoder(REQUEST, INFO);

        String frame = encoder.error(GatewayError.of(ErrorType.OVERLOADED, "The upstream is overloaded"));

        assertThat(frame).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"The upstream is overloaded\"}}\n\n");
    }
}
