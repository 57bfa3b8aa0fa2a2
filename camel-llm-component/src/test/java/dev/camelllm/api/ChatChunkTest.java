package dev.camelllm.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatChunkTest {

    /** One definition of "first token" for the TTFT header, the first-token timeout and the retry window. */
    @Test
    void onlyAnswerContentIsOutput() {
        assertThat(new ChatChunk.TextDelta("Hel").isOutput()).isTrue();
        // OpenAI's first chunk carries the role and an empty content: no token yet
        assertThat(new ChatChunk.TextDelta("").isOutput()).isFalse();
        assertThat(new ChatChunk.ThinkingDelta("hmm").isOutput()).isTrue();
        assertThat(new ChatChunk.RedactedThinking("x").isOutput()).isTrue();
        assertThat(new ChatChunk.ToolCallDelta(0, "id", "f", "{").isOutput()).isTrue();
        assertThat(new ChatChunk.ToolCallComplete(0, new ToolCall("id", "f", "{}")).isOutput()).isTrue();
        assertThat(new ChatChunk.UsageUpdate(new Usage(1, 2)).isOutput()).isFalse();
        assertThat(new ChatChunk.Finish(FinishReason.STOP, "stop").isOutput()).isFalse();
        assertThat(new ChatChunk.ThinkingSignature("sig").isOutput()).isFalse();
    }
}
