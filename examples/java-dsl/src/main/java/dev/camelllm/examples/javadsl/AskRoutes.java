package dev.camelllm.examples.javadsl;

import org.apache.camel.builder.RouteBuilder;

import dev.camelllm.component.LlmConstants;

/**
 * direct:ask sends its body to the model and answers with the text; a timer asks once at start
 * ({{example.prompt}}) and logs the answer with the model that gave it.
 */
public class AskRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:ask").routeId("ask")
                .to("llm:chat?maxTokens=64");

        from("timer:ask?repeatCount=1").routeId("ask-once").autoStartup("{{example.autostart:true}}")
                .setBody(constant("{{example.prompt}}"))
                .to("direct:ask")
                .log("${header." + LlmConstants.MODEL + "} answered: ${body}");
    }
}
