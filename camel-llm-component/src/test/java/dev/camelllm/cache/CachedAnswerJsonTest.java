package dev.camelllm.cache;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON a shared store keeps: every part and chunk comes back equal; anything else is refused. */
class CachedAnswerJsonTest {

    private static final ToolCall CALL = new ToolCall("call_1", "weather", "{\"city\":\"Zürich\"}", "sig-t");

    private static ChatResponse response() {
        ChatMessage message = new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Thinking("hm", "sig-1"),
                new ContentPart.RedactedThinking("opaque"), new ContentPart.Text("Let me check \"that\" ✓"),
                new ContentPart.ToolUse(CALL)));
        return new ChatResponse(message, FinishReason.TOOL_CALLS, "tool_use", new Usage(10, 5, 2, 1, 3), "anthropic",
                "claude-x", 120, 480);
    }

    @Test
    void aStreamedAnswerComesBackEqualChunkByChunk() {
        List<ChatChunk> chunks = List.of(new ChatChunk.ThinkingDelta("hm"), new ChatChunk.ThinkingSignature("sig-1"),
                new ChatChunk.RedactedThinking("opaque"), new ChatChunk.TextDelta("Let me check "),
                new ChatChunk.TextDelta("\"that\" ✓"), new ChatChunk.ToolCallDelta(0, "call_1", "weather", "{\"city\""),
                new ChatChunk.ToolCallDelta(0, null, null, ":\"Zürich\"}"), new ChatChunk.ToolCallComplete(0, CALL),
                new ChatChunk.UsageUpdate(new Usage(10, 5, 2, 1, 3)), new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_use"));
        CachedAnswer answer = new CachedAnswer(response(), chunks);

        CachedAnswer back = CachedAnswerJson.decode(CachedAnswerJson.encode(answer));

        assertThat(back).isEqualTo(answer);
    }

    @Test
    void anAnswerThatWasNotStreamedHasNoChunks() {
        CachedAnswer answer = new CachedAnswer(new ChatResponse(ChatMessage.assistant("Hi"), FinishReason.STOP, "stop", null,
                "openai", "gpt-4o-mini", -1, 5), null);

        String json = CachedAnswerJson.encode(answer);

        assertThat(json).doesNotContain("\"c\"").startsWith("{\"v\":1,");
        assertThat(CachedAnswerJson.decode(json)).isEqualTo(answer);
    }

    @Test
    void anAnswerWithAPartNoAnswerHasIsNotEncoded() {
        ChatMessage odd = new ChatMessage(Role.ASSISTANT, List.of(ContentPart.Image.ofUrl("https://example.invalid/a.png")));
        CachedAnswer answer = new CachedAnswer(new ChatResponse(odd, FinishReason.STOP, "stop", null, "openai", "m", 0, 0), null);

        assertThat(CachedAnswerJson.encode(answer)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "{\"v\":2,\"r\":{}}",
            "{\"v\":\"1\",\"r\":{}}",
            "{\"v\":1}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[{\"t\":\"text\",\"x\":\"a\"}],\"finish\":\"ERROR\"}}",
            "{\"v\":1,\"r\":{\"role\":\"USER\",\"parts\":[{\"t\":\"text\",\"x\":\"a\"}],\"finish\":\"STOP\"}}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[{\"t\":\"image\",\"url\":\"u\"}],\"finish\":\"STOP\"}}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[{\"t\":\"text\",\"x\":5}],\"finish\":\"STOP\"}}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[],\"finish\":\"STOP\",\"usage\":[1,2,-3,0,0]}}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[],\"finish\":\"STOP\",\"usage\":[1,2]}}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[],\"finish\":\"STOP\"},\"c\":[{\"t\":\"text\",\"x\":\"a\"}]}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[],\"finish\":\"STOP\"},\"c\":[{\"t\":\"exec\"},{\"t\":\"finish\",\"finish\":\"STOP\"}]}",
            "{\"v\":1,\"r\":{\"role\":\"ASSISTANT\",\"parts\":[],\"finish\":\"STOP\"},\"c\":[{\"t\":\"tool\",\"i\":-1,\"call\":{}}]}",
    })
    void whatIsNotAWholeAnswerOfThisVersionIsRefused(String json) {
        assertThatThrownBy(() -> CachedAnswerJson.decode(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Zürich");
    }
}
