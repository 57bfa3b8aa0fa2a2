package dev.camelllm.observability.tracing;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatRequest;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContentTest {

    @Test
    void providerNamesMapToTheConventionsWhereTheyHaveOne() {
        assertThat(GenAiAttributes.providerName("openai")).isEqualTo("openai");
        assertThat(GenAiAttributes.providerName("openai-responses")).isEqualTo("openai");
        assertThat(GenAiAttributes.providerName("anthropic")).isEqualTo("anthropic");
        assertThat(GenAiAttributes.providerName("openai-compatible")).isEqualTo("openai-compatible");
        assertThat(GenAiAttributes.providerName("onnx")).isEqualTo("onnx");
        assertThat(GenAiAttributes.providerName(null)).isEqualTo("unknown");
        assertThat(GenAiAttributes.spanName("gpt-4o")).isEqualTo("chat gpt-4o");
        assertThat(GenAiAttributes.spanName(null)).isEqualTo("chat");
    }

    @Test
    void aLongPromptIsCutAndSaysSo() {
        String prompt = "x".repeat(TraceContent.MAX_CHARS * 2);
        String json = TraceContent.input(ChatRequest.builder().user(prompt).build(), s -> s);

        assertThat(json).hasSizeLessThan(TraceContent.MAX_CHARS + 40).contains("…[truncated ");
    }

    @Test
    void redactionAppliesToEveryText() {
        String json = TraceContent.input(ChatRequest.builder().user("my key is sk-secret").build(),
                s -> s.replace("sk-secret", "***"));

        assertThat(json).doesNotContain("sk-secret").contains("my key is ***");
    }
}
