package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The onnx provider through Camel routes ({@code llm:local?provider=onnx&modelPath=…}), found by the
 * factory finder: every case of expected.json answered exactly, not streamed and streamed with split.
 */
@Timeout(60)
class OnnxRouteTest extends CamelTestSupport {

    static Map<String, TinyModel.Case> cases;

    @BeforeAll
    static void model() {
        TinyModel.require();
        cases = TinyModel.cases();
    }

    private static String uri(String extra) {
        return "llm:local?provider=onnx&device=cpu&intraOpThreads=1&modelPath=" + TinyModel.dir() + extra;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to(uri("&fullResponse=true"));
                from("direct:text").to(uri("&enableThinking=false"));
                from("direct:chunks").to(uri("&stream=true&streamFormat=chunks"))
                        .split(body(), AggregationStrategies.flexible(Object.class).accumulateInCollection(ArrayList.class))
                        .streaming()
                        .to("mock:chunk")
                        .end();
                from("direct:headers").to(uri("&stream=true&streamFormat=chunks"))
                        .split(body()).streaming()
                        .to("mock:each")
                        .end();
                from("direct:deltas").to(uri("&stream=true&enableThinking=false"))
                        .split(body(), AggregationStrategies.flexible(Object.class).accumulateInCollection(ArrayList.class))
                        .streaming()
                        .to("mock:delta")
                        .end();
            }
        };
    }

    @Test
    void everyCaseNotStreamed() {
        for (TinyModel.Case c : cases.values()) {
            ChatResponse r = template.requestBody("direct:chat", c.request(), ChatResponse.class);
            assertThat(OnnxGenerationTest.raw(r)).as(c.name()).isEqualTo(c.expectedCompletion());
            assertThat(r.model()).isEqualTo("tiny-chat");
        }
    }

    @Test
    void everyCaseStreamedThroughSplit() {
        for (TinyModel.Case c : cases.values()) {
            @SuppressWarnings("unchecked")
            List<Object> chunks = template.requestBody("direct:chunks", c.request(), List.class);
            ChatResponse r = assemble(chunks);
            assertThat(OnnxGenerationTest.raw(r)).as(c.name()).isEqualTo(c.expectedCompletion());
            assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ChatChunk.Finish.class);
        }
    }

    @Test
    void plainStringBodyAndTextDeltas() {
        String answer = template.requestBody("direct:text", "Hello", String.class);
        assertThat(answer).isEqualTo(cases.get("hello").expectedCompletion());

        @SuppressWarnings("unchecked")
        List<Object> deltas = template.requestBody("direct:deltas", "Say café", List.class);
        assertThat(deltas).allSatisfy(d -> assertThat(d).isInstanceOf(String.class));
        assertThat(deltas).allSatisfy(d -> assertThat((String) d).doesNotContain("\uFFFD"));
        assertThat(String.join("", deltas.stream().map(String.class::cast).toList())).isEqualTo("café ☕ olé");
    }

    @Test
    void toolCallHeadersAfterTheStream() {
        var exchange = template.request("direct:headers", e -> e.getIn().setBody(cases.get("tool_call").request()));
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo(FinishReason.TOOL_CALLS.value());
        assertThat(exchange.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("onnx");
    }

    private static ChatResponse assemble(List<Object> chunks) {
        dev.camelllm.api.ResponseAssembler a = new dev.camelllm.api.ResponseAssembler();
        chunks.forEach(c -> a.accept((ChatChunk) c));
        return a.build("onnx", "tiny-chat", 0, 0);
    }
}
