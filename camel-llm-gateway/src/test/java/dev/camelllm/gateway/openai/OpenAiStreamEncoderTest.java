package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

class OpenAiStreamEncoderTest {

    private static final ResponseInfo INFO = new ResponseInfo("chatcmpl-s1", "fast", 1_700_000_123L);
    private static final String DONE = "data: [DONE]\n\n";

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    @Test
    void aStreamWithTextThinkingAndToolCalls() throws Exception {
        StreamEncoder encoder = encoder(true);
        StringBuilder sse = new StringBuilder(encoder.start());
        List<ChatChunk> chunks = List.of(
                new ChatChunk.ThinkingDelta("Two cities, "),
                new ChatChunk.ThinkingDelta("two calls."),
                new ChatChunk.ThinkingSignature("sig"),
                new ChatChunk.TextDelta("Let me "),
                new ChatChunk.TextDelta(""),
                new ChatChunk.TextDelta("check."),
                // upstream indexes 3 and 5, interleaved
                new ChatChunk.ToolCallDelta(3, "call_a", "weather", ""),
                new ChatChunk.ToolCallDelta(5, "call_b", "time", "{\"tz\""),
                new ChatChunk.ToolCallDelta(3, null, null, "{\"city\":"),
                new ChatChunk.ToolCallDelta(5, null, null, ":\"UTC\"}"),
                new ChatChunk.ToolCallDelta(3, null, null, "\"Rome\"}"),
                new ChatChunk.ToolCallComplete(3, new ToolCall("call_a", "weather", "{\"city\":\"Rome\"}")),
                new ChatChunk.ToolCallComplete(5, new ToolCall("call_b", "time", "{\"tz\":\"UTC\"}")),
                // a provider that only sends the finished call
                new ChatChunk.ToolCallComplete(7, new ToolCall("call_c", "lookup", "{\"q\":\"moon\"}")),
                new ChatChunk.RedactedThinking("opaque"),
                new ChatChunk.UsageUpdate(new Usage(20, 9, 0, 0)),
                new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"));
        for (ChatChunk chunk : chunks) {
            sse.append(encoder.chunk(chunk));
        }
        sse.append(encoder.finish(response(FinishReason.TOOL_CALLS, new Usage(20, 9, 5, 0))));

        List<String> frames = frames(sse.toString());
        assertThat(frames.get(frames.size() - 1)).isEqualTo(DONE);
        List<JsonNode> events = events(frames.subList(0, frames.size() - 1));
        for (JsonNode event : events) {
            assertThat(event.get("id").asText()).isEqualTo("chatcmpl-s1");
            assertThat(event.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(event.get("created").asLong()).isEqualTo(1_700_000_123L);
            assertThat(event.get("model").asText()).isEqualTo("fast");
        }

        JsonNode first = events.get(0).at("/choices/0");
        assertThat(first.get("delta")).isEqualTo(Json.parse("{\"role\":\"assistant\",\"content\":\"\"}"));
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("finish_reason").isNull()).isTrue();

        List<JsonNode> deltas = events.subList(0, events.size() - 2).stream().map(e -> e.at("/choices/0")).toList();
        assertThat(deltas).allSatisfy(c -> assertThat(c.get("finish_reason").isNull()).isTrue());
        assertThat(concat(deltas, "reasoning_content")).isEqualTo("Two cities, two calls.");
        assertThat(concat(deltas, "content")).isEqualTo("Let me check.");

        Map<Integer, ToolCallSeen> calls = toolCalls(deltas);
        assertThat(calls.keySet()).containsExactly(0, 1, 2);
        assertThat(calls.get(0)).isEqualTo(new ToolCallSeen(List.of("call_a"), List.of("weather"), 1, "{\"city\":\"Rome\"}"));
        assertThat(calls.get(1)).isEqualTo(new ToolCallSeen(List.of("call_b"), List.of("time"), 1, "{\"tz\":\"UTC\"}"));
        assertThat(calls.get(2)).isEqualTo(new ToolCallSeen(List.of("call_c"), List.of("lookup"), 1, "{\"q\":\"moon\"}"));

        JsonNode finish = events.get(events.size() - 2);
        assertThat(finish.get("choices")).hasSize(1);
        assertThat(finish.at("/choices/0/delta")).isEqualTo(Json.object());
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(finish.has("usage")).isFalse();

        JsonNode usage = events.get(events.size() - 1);
        assertThat(usage.get("choices")).isEqualTo(Json.MAPPER.createArrayNode());
        assertThat(usage.get("usage")).isEqualTo(Json.parse("""
                {"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":5}}
                """));
    }

    @Test
    void chunksWithNothingToSayWriteNothing() {
        StreamEncoder encoder = encoder(true);
        encoder.start();

        assertThat(encoder.chunk(new ChatChunk.TextDelta(""))).isEmpty();
        assertThat(encoder.chunk(new ChatChunk.ThinkingSignature("sig"))).isEmpty();
        assertThat(encoder.chunk(new ChatChunk.RedactedThinking("data"))).isEmpty();
        assertThat(encoder.chunk(new ChatChunk.UsageUpdate(new Usage(1, 1)))).isEmpty();
        assertThat(encoder.chunk(new ChatChunk.Finish(FinishReason.STOP, "stop"))).isEmpty();
        encoder.chunk(new ChatChunk.ToolCallDelta(0, "c", "t", "{}"));
        assertThat(encoder.chunk(new ChatChunk.ToolCallComplete(0, new ToolCall("c", "t", "{}")))).isEmpty();
    }

    @Test
    void aToolCallWhoseDeltasCarriedNoArgumentsGetsThemOnCompletion() throws Exception {
        // Anthropic: a tool without arguments streams only its start, then completes with {}
        StreamEncoder encoder = encoder(false);
        String sse = encoder.start()
                + encoder.chunk(new ChatChunk.ToolCallDelta(1, "toolu_1", "now", ""))
                + encoder.chunk(new ChatChunk.ToolCallComplete(1, new ToolCall("toolu_1", "now", "{}")))
                + encoder.finish(response(FinishReason.TOOL_CALLS, Usage.EMPTY));

        List<String> frames = frames(sse);
        List<JsonNode> deltas = events(frames.subList(0, frames.size() - 1)).stream().map(e -> e.at("/choices/0")).toList();
        assertThat(toolCalls(deltas)).containsExactly(Map.entry(0,
                new ToolCallSeen(List.of("toolu_1"), List.of("now"), 1, "{}")));
    }

    @Test
    void withoutIncludeUsageTheFinishChunkIsFollowedByDone() throws Exception {
        StreamEncoder encoder = encoder(false);
        encoder.start();
        encoder.chunk(new ChatChunk.TextDelta("Hi"));

        List<String> frames = frames(encoder.finish(response(FinishReason.LENGTH, new Usage(3, 1))));

        assertThat(frames).hasSize(2);
        JsonNode finish = Json.parse(frames.get(0).substring("data: ".length()));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(frames.get(1)).isEqualTo(DONE);
    }

    @Test
    void anErrorIsOneFrameWithoutDone() throws Exception {
        StreamEncoder encoder = encoder(true);
        encoder.start();

        String sse = encoder.error(GatewayError.of(ErrorType.OVERLOADED, "The upstream is overloaded"));

        assertThat(sse).startsWith("data: ").endsWith("\n\n").doesNotContain("[DONE]");
        assertThat(frames(sse)).hasSize(1);
        assertThat(Json.parse(sse.substring("data: ".length()))).isEqualTo(Json.parse("""
                {"error":{"message":"The upstream is overloaded","type":"server_error","param":null,"code":"overloaded"}}
                """));
    }

    @Test
    void everyFrameIsOneLineOfJsonAfterData() throws Exception {
        StreamEncoder encoder = encoder(true);
        List<String> outputs = new ArrayList<>();
        outputs.add(encoder.start());
        // line breaks and quotes inside values must not break the framing
        outputs.add(encoder.chunk(new ChatChunk.TextDelta("line one\n\nline \"two\"\r\n")));
        outputs.add(encoder.chunk(new ChatChunk.ThinkingDelta("think\n\n")));
        outputs.add(encoder.chunk(new ChatChunk.ToolCallDelta(0, "c", "t", "{\"a\":\n")));
        outputs.add(encoder.chunk(new ChatChunk.ToolCallDelta(0, null, null, "1}")));
        outputs.add(encoder.finish(response(FinishReason.STOP, new Usage(1, 2))));

        for (String output : outputs) {
            assertThat(output).endsWith("\n\n");
            for (String frame : frames(output)) {
                assertThat(frame).startsWith("data: ").endsWith("\n\n");
                String payload = frame.substring("data: ".length(), frame.length() - 2);
                assertThat(payload).doesNotContain("\n").doesNotContain("\r");
                if (!payload.equals("[DONE]")) {
                    assertThat(Json.parse(payload).isObject()).as(payload).isTrue();
                }
            }
        }
    }

    private StreamEncoder encoder(boolean includeUsage) {
        ChatRequest chat = ChatRequest.builder().user("hi").build();
        return format.streamEncoder(new GatewayRequest("fast", chat, true, includeUsage), INFO);
    }

    private static ChatResponse response(FinishReason reason, Usage usage) {
        return OpenAiResponseEncoderTest.response(List.of(new ContentPart.Text("")), reason, usage, "openai");
    }

    /** Splits server-sent events into frames, each with its "\n\n". */
    private static List<String> frames(String sse) {
        assertThat(sse).endsWith("\n\n");
        List<String> out = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            out.add(frame + "\n\n");
        }
        return out;
    }

    private static List<JsonNode> events(List<String> frames) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : frames) {
            assertThat(frame).startsWith("data: ");
            out.add(Json.parse(frame.substring("data: ".length())));
        }
        return out;
    }

    private static String concat(List<JsonNode> choices, String field) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode choice : choices) {
            JsonNode value = choice.at("/delta/" + field);
            if (!value.isMissingNode()) {
                sb.append(value.asText());
            }
        }
        return sb.toString();
    }

    /** What a client saw of one tool call: every id and name sent, how often the type came, the joined arguments. */
    record ToolCallSeen(List<String> ids, List<String> names, int types, String arguments) {
    }

    private static Map<Integer, ToolCallSeen> toolCalls(List<JsonNode> choices) {
        Map<Integer, ToolCallSeen> seen = new LinkedHashMap<>();
        for (JsonNode choice : choices) {
            for (JsonNode call : choice.at("/delta/tool_calls")) {
                ToolCallSeen before = seen.getOrDefault(call.get("index").asInt(),
                        new ToolCallSeen(List.of(), List.of(), 0, ""));
                List<String> ids = new ArrayList<>(before.ids());
                if (call.has("id")) {
                    ids.add(call.get("id").asText());
                }
                List<String> names = new ArrayList<>(before.names());
                if (call.at("/function/name").isTextual()) {
                    names.add(call.at("/function/name").asText());
                }
                int types = before.types() + (call.has("type") ? 1 : 0);
                String arguments = before.arguments() + call.at("/function/arguments").asText("");
                seen.put(call.get("index").asInt(), new ToolCallSeen(ids, names, types, arguments));
            }
        }
        return seen;
    }
}
