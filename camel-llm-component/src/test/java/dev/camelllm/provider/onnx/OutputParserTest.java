package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;

import static org.assertj.core.api.Assertions.assertThat;

/** Tags and stop sequences split across deltas in every possible place. */
@Timeout(10)
class OutputParserTest {

    static final String THINK_AND_ANSWER = "<think>\nLet me see.\n\nYes.\n</think>\n\nIt is 4.\nDone.";
    static final String TOOL = "Checking.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
            + "</tool_call>\n<tool_call>\n{\"name\": \"now\", \"arguments\": {}}\n</tool_call>";

    @Test
    void thinkingAndAnswerWhateverTheSplit() {
        for (int cut = 0; cut <= THINK_AND_ANSWER.length(); cut++) {
            List<ChatChunk> chunks = parse(false, THINK_AND_ANSWER.substring(0, cut), THINK_AND_ANSWER.substring(cut));
            assertThat(OnnxGenerationTest.join(chunks, ChatChunk.ThinkingDelta.class)).as("cut " + cut)
                    .isEqualTo("Let me see.\n\nYes.");
            assertThat(OnnxGenerationTest.join(chunks, ChatChunk.TextDelta.class)).as("cut " + cut)
                    .isEqualTo("It is 4.\nDone.");
        }
    }

    @Test
    void characterByCharacter() {
        List<ChatChunk> chunks = new ArrayList<>();
        OutputParser parser = new OutputParser(false);
        for (char c : TOOL.toCharArray()) {
            parser.accept(String.valueOf(c), chunks::add);
        }
        parser.finish(chunks::add);
        assertThat(OnnxGenerationTest.join(chunks, ChatChunk.TextDelta.class)).isEqualTo("Checking.");
        List<ChatChunk.ToolCallComplete> calls = chunks.stream().filter(ChatChunk.ToolCallComplete.class::isInstance)
                .map(ChatChunk.ToolCallComplete.class::cast).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).index()).isZero();
        assertThat(calls.get(0).call().name()).isEqualTo("get_weather");
        assertThat(calls.get(0).call().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(calls.get(1).index()).isEqualTo(1);
        assertThat(calls.get(1).call().arguments()).isEqualTo("{}");
        assertThat(calls.get(0).call().id()).isNotEqualTo(calls.get(1).call().id());
        assertThat(parser.toolCalls()).isEqualTo(2);
    }

    @Test
    void aPromptThatOpensTheThinkBlockStartsInThinking() {
        List<ChatChunk> chunks = parse(true, "\nreasoning\n</think>\n\nanswer");
        assertThat(OnnxGenerationTest.join(chunks, ChatChunk.ThinkingDelta.class)).isEqualTo("reasoning");
        assertThat(OnnxGenerationTest.join(chunks, ChatChunk.TextDelta.class)).isEqualTo("answer");
    }

    @Test
    void brokenOrUnclosedToolCallsStayText() {
        assertThat(OnnxGenerationTest.join(parse(false, "<tool_call>\n{not json}\n</tool_call>"), ChatChunk.TextDelta.class))
                .isEqualTo("<tool_call>\n{not json}\n</tool_call>");
        assertThat(OnnxGenerationTest.join(parse(false, "a <tool_call>{\"name\": \"x\""), ChatChunk.TextDelta.class))
                .isEqualTo("a <tool_call>{\"name\": \"x\"");
        assertThat(OnnxGenerationTest.join(parse(false, "ends with <thi"), ChatChunk.TextDelta.class))
                .isEqualTo("ends with <thi");
    }

    @Test
    void stopSequencesAcrossDeltas() {
        String text = "one, two, three END four";
        for (int cut = 0; cut <= text.length(); cut++) {
            StopSequences stops = new StopSequences(List.of("END", "never"));
            String out = stops.accept(text.substring(0, cut));
            if (!stops.stopped()) {
                out += stops.accept(text.substring(cut));
            }
            assertThat(stops.stopped()).isTrue();
            assertThat(out).as("cut " + cut).isEqualTo("one, two, three ");
        }
        StopSequences none = new StopSequences(List.of("xyz"));
        assertThat(none.accept("abc x") + none.accept("y") + none.flush()).isEqualTo("abc xy");
        assertThat(none.stopped()).isFalse();
    }

    private static List<ChatChunk> parse(boolean inThinking, String... deltas) {
        List<ChatChunk> chunks = new ArrayList<>();
        OutputParser parser = new OutputParser(inThinking);
        for (String d : deltas) {
            parser.accept(d, chunks::add);
        }
        parser.finish(chunks::add);
        return chunks;
    }
}
