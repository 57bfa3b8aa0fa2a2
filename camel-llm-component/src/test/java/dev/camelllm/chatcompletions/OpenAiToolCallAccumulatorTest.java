package dev.camelllm.chatcompletions;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tool-call fragments in the shapes compatible servers send, beyond OpenAI's own. */
@Timeout(10)
class OpenAiToolCallAccumulatorTest {

    private static List<ToolCall> accumulate(String... fragments) throws Exception {
        ToolCallAccumulator acc = new ToolCallAccumulator();
        for (String f : fragments) {
            JsonNode node = Json.parse(f);
            acc.accept(node);
        }
        return acc.complete().stream().map(ChatChunk.ToolCallComplete::call).toList();
    }

    @Test
    void parallelCallsAllNumberedZeroAreKeptApartByTheirIds() throws Exception {
        assertThat(accumulate(
                "{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}",
                "{\"index\":0,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"time\",\"arguments\":\"{}\"}}"))
                .containsExactly(new ToolCall("a", "weather", "{\"city\":\"Oslo\"}"), new ToolCall("b", "time", "{}"));
    }

    @Test
    void noIndexAtAllAndArgumentsAsAnObject() throws Exception {
        assertThat(accumulate(
                "{\"id\":\"a\",\"function\":{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}}",
                "{\"id\":\"b\",\"function\":{\"name\":\"time\"}}"))
                .containsExactly(new ToolCall("a", "weather", "{\"city\":\"Oslo\"}"), new ToolCall("b", "time", "{}"));
    }

    @Test
    void aRepeatedNameIsNotConcatenatedAndAMissingIdIsInvented() throws Exception {
        List<ToolCall> calls = accumulate(
                "{\"index\":0,\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\"}}",
                "{\"index\":0,\"function\":{\"name\":\"search\",\"arguments\":\"\\\"camel\\\"}\"}}");

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).name()).isEqualTo("search");
        assertThat(calls.get(0).arguments()).isEqualTo("{\"q\":\"camel\"}");
        assertThat(calls.get(0).id()).startsWith("call_").hasSizeGreaterThan(10);
    }

    @Test
    void aCallWithoutANameIsAnError() {
        assertThatThrownBy(() -> accumulate("{\"index\":0,\"id\":\"a\",\"function\":{\"arguments\":\"{}\"}}"))
                .hasMessageContaining("without a function name");
    }
}
