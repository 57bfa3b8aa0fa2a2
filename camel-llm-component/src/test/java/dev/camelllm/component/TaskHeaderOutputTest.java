package dev.camelllm.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CamelLlmTask header hands the message to another profile, but the route that called the endpoint still
 * consumes the answer: the calling endpoint's output options (fullResponse, stream, streamFormat) decide its
 * form, not the task profile's defaults.
 */
@Timeout(60)
class TaskHeaderOutputTest extends CamelTestSupport {

    private static final String HELLO = "Hello! How can I help you today?";

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        llm.setProfiles(Map.of("caller", tiny(), "task", tiny()));
        ctx.addComponent("llm", llm);
        return ctx;
    }

    private static LlmConfiguration tiny() {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("onnx");
        c.setModelPath(ToolLoopTest.tinyModel().toString());
        c.setDevice("cpu");
        c.setIntraOpThreads(1);
        c.setEnableThinking(false);
        return c;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:full").to("llm:caller?fullResponse=true");
                from("direct:chunks").to("llm:caller?stream=true&streamFormat=chunks")
                        .split(body(), AggregationStrategies.flexible(Object.class).accumulateInCollection(ArrayList.class))
                        .streaming()
                        .to("mock:chunk")
                        .end();
            }
        };
    }

    @Test
    void theCallersFullResponseAppliesToTheTasksAnswer() {
        Object body = template.requestBodyAndHeader("direct:full", "Hello", LlmConstants.TASK, "task");

        assertThat(body).isInstanceOf(ChatResponse.class);
        assertThat(((ChatResponse) body).text()).isEqualTo(HELLO);
    }

    @Test
    void theCallersStreamAndStreamFormatApplyToTheTasksAnswer() {
        List<?> items = template.requestBodyAndHeader("direct:chunks", "Hello", LlmConstants.TASK, "task", List.class);

        assertThat(items).isNotEmpty().allSatisfy(item -> assertThat(item).isInstanceOf(ChatChunk.class));
        StringBuilder text = new StringBuilder();
        items.forEach(item -> {
            if (item instanceof ChatChunk.TextDelta delta) {
                text.append(delta.text());
            }
        });
        assertThat(text).hasToString(HELLO);
    }
}
