package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

class ResponsesStreamEncoderTest {

    private static final ResponseInfo INFO = new ResponseInfo("resp_abc", "fast", 1_700_000_123L);

    private final ResponsesApiFormat format = new ResponsesApiFormat();

    /** The data of every event, checking that each event line names the data's type. */
    private static List<JsonNode> events(String sse) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            JsonNode data = Json.parse(lines[1].substring("data: ".length()));
            assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
            out.add(data);
        }
        return out;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void reasoningTextAndInterleavedParallelCallsBecomeItemsInOrderWithCountedSequenceNumbers() throws Exception {
        StreamEncoder encoder = format.streamEncoder(null, INFO);
        StringBuilder sse = new StringBuilder(encoder.start());
        ResponseAssembler assembler = new ResponseAssembler();
        List<ChatChunk> chunks = List.of(
                new ChatChunk.ThinkingDelta("Two cities, "),
                new ChatChunk.ThinkingDelta("two calls."),
                new ChatChunk.ThinkingSignature("sig-1"),
                new ChatChunk.TextDelta("Let me check."),
                // upstream indexes 3 and 5, interleaved (as some Chat Completions servers send them)
                new ChatChunk.ToolCallDelta(3, "call_a", "weather", ""),
                new ChatChunk.ToolCallDelta(5, "call_b", "time", "{\"tz\""),
                new ChatChunk.ToolCallDelta(3, null, null, "{\"city\":"),
                new ChatChunk.ToolCallDelta(5, null, null, ":\"UTC\"}"),
                new ChatChunk.ToolCallDelta(3, null, null, "\"Rome\"}"),
                new ChatChunk.ToolCallComplete(3, new ToolCall("call_a", "weather", "{\"city\":\"Rome\"}")),
                new ChatChunk.ToolCallComplete(5, new ToolCall("call_b", "time", "{\"tz\":\"UTC\"}")),
                // a provider that sends only the finished call (the local model)
                new ChatChunk.ToolCallComplete(7, new ToolCall(null, "lookup", "{\"q\":\"moon\"}")),
                new ChatChunk.UsageUpdate(new Usage(20, 9, 4, 0, 5)),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"));
        for (ChatChunk chunk : chunks) {
            sse.append(encoder.chunk(chunk));
            assembler.accept(chunk);
        }
        sse.append(encoder.finish(assembler.build("openai", "fast", -1, 1)));

        List<JsonNode> events = events(sse.toString());
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(types(events)).startsWith("response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta");
        assertThat(types(events).get(types(events).size() - 1)).isEqualTo("response.completed");

        // arguments deltas of each call carry that call's own index and id
        List<JsonNode> argDeltas = events.stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.delta")).toList();
        assertThat(argDeltas).extracting(e -> e.path("output_index").asInt() + ":" + e.path("delta").asText())
                .containsExactly("3:{\"tz\"", "2:{\"city\":", "3::\"UTC\"}", "2:\"Rome\"}", "4:{\"q\":\"moon\"}");
        assertThat(argDeltas.get(0).path("item_id").asText()).isEqualTo("fc_abc_3");

        JsonNode response = events.get(events.size() - 1).path("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        JsonNode output = response.path("output");
        assertThat(output).hasSize(5);
        assertThat(output.get(0)).isEqualTo(Json.parse("""
                {"id":"rs_abc_0","type":"reasoning","summary":[{"type":"summary_text","text":"Two cities, two calls."}],
                 "encrypted_content":"sig-1"}"""));
        assertThat(output.get(1).path("content").get(0).path("text").asText()).isEqualTo("Let me check.");
        assertThat(output.get(2).path("arguments").asText()).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(output.get(2).path("call_id").asText()).isEqualTo("call_a");
        assertThat(output.get(3).path("arguments").asText()).isEqualTo("{\"tz\":\"UTC\"}");
        assertThat(output.get(4).path("name").asText()).isEqualTo("lookup");
        assertThat(output.get(4).path("call_id").asText()).isEqualTo("call_abc_4");
        assertThat(response.path("usage")).isEqualTo(Json.parse("""
                {"input_tokens":20,"input_tokens_details":{"cached_tokens":4,"cache_write_tokens":0},
                 "output_tokens":9,"output_tokens_details":{"reasoning_tokens":5},"total_tokens":29}"""));
        // every item that was added is done exactly once
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("response.output_item.added"))).hasSize(5);
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("response.output_item.done"))).hasSize(5);
    }

    @Test
    void aLengthFinishEndsWithResponseIncomplete() throws Exception {
        StreamEncoder encoder = format.streamEncoder(null, INFO);
        String sse = encoder.start() + encoder.chunk(new ChatChunk.TextDelta("Once upon a"))
                + encoder.finish(new ChatResponse(ChatMessage.assistant("Once upon a"), FinishReason.LENGTH, "length",
                        new Usage(3, 3), "openai", "fast", -1, 1));

        List<JsonNode> events = events(sse);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("response.incomplete");
        assertThat(last.path("response").path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        assertThat(types(events)).contains("response.output_text.done", "response.content_part.done");
    }

    @Test
    void anErrorAfterTheStartIsAnErrorEventThenResponseFailed() throws Exception {
        StreamEncoder encoder = format.streamEncoder(null, INFO);
        String sse = encoder.start() + encoder.chunk(new ChatChunk.TextDelta("Half"))
                + encoder.error(new GatewayError(502, ErrorType.API_ERROR, "the upstream stream was cut", null, null));

        List<JsonNode> events = events(sse);
        assertThat(types(events)).endsWith("error", "response.failed").doesNotContain("response.completed");
        assertThat(events.get(events.size() - 2).path("message").asText()).isEqualTo("the upstream stream was cut");
        assertThat(events.get(events.size() - 1).path("response").path("status").asText()).isEqualTo("failed");
    }

    @Test
    void aCompleteAnswerHasReasoningMessageAndCallItems() throws Exception {
        ChatResponse answer = new ChatResponse(new ChatMessage(Role.ASSISTANT, List.of(
                new ContentPart.Thinking("Think.", "sig"), new ContentPart.Text("Calling."),
                new ContentPart.ToolUse(new ToolCall("toolu_1", "weather", "{\"city\":\"Rome\"}")))),
                FinishReason.TOOL_CALLS, "tool_use", new Usage(10, 5, 2, 1), "anthropic", "m", -1, 1);

        JsonNode json = Json.parse(format.encodeResponse(answer, INFO));

        assertThat(json.path("object").asText()).isEqualTo("response");
        assertThat(json.path("status").asText()).isEqualTo("completed");
        assertThat(json.path("store").asBoolean(true)).isFalse();
        assertThat(json.path("output")).extracting(i -> i.path("type").asText())
                .containsExactly("reasoning", "message", "function_call");
        assertThat(json.path("output").get(0).path("encrypted_content").asText()).isEqualTo("sig");
        assertThat(json.path("output").get(2).path("call_id").asText()).isEqualTo("toolu_1");
        // Anthropic's input_tokens exclude cache reads and writes; the Responses API's include them
        assertThat(json.path("usage").path("input_tokens").asLong()).isEqualTo(13);
    }
}
