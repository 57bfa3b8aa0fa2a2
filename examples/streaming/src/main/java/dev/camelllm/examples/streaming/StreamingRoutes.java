package dev.camelllm.examples.streaming;

import org.apache.camel.builder.RouteBuilder;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.component.LlmConstants;

/**
 * With stream=true the body of llm: is an iterator of text deltas; a streaming split hands each one on
 * as soon as the model produced it, here to {{example.sink}} (stdout without line breaks).
 */
public class StreamingRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:stream").routeId("stream")
                .to("llm:chat?stream=true")
                .split(body()).streaming()
                    .to("{{example.sink}}")
                .end()
                // after the split: the whole answer, assembled by the component
                .setBody(e -> e.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class).text());

        from("timer:stream?repeatCount=1").routeId("stream-once").autoStartup("{{example.autostart:true}}")
                .setBody(constant("{{example.prompt}}"))
                .to("direct:stream")
                .process(e -> System.out.println());
    }
}
