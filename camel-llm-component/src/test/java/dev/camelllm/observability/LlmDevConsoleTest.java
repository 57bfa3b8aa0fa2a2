package dev.camelllm.observability;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The llm dev console shows endpoints and usage, and not the key that sits in an endpoint URI. */
@Timeout(20)
class LlmDevConsoleTest extends ObservabilityTestSupport {

    @Test
    void showsProfilesAndUsageButNoKey() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(openAi("chat", "gpt-4o-mini", "maxRetries=0&budget=2&rateLimitPerMinute=30"));
            }
        });
        context.start();
        upstream.then(answer("gpt-4o-mini", "ok", 5, 2, 0));
        template.requestBody("direct:in", "Hello");

        LlmDevConsole console = new LlmDevConsole();
        console.setCamelContext(context);
        String text = (String) console.call(DevConsole.MediaType.TEXT, Map.of());
        String json = ((JsonObject) console.call(DevConsole.MediaType.JSON, Map.of())).toJson();

        assertThat(text).contains("name=chat").contains("provider=openai model=gpt-4o-mini").contains("rateLimitPerMinute=30")
                .contains("budgetUsd=2.0 budgetPeriod=day").contains("profile=chat requests=1 errors=0 inputTokens=5 outputTokens=2")
                .contains("outcome=ok").doesNotContain(KEY);
        assertThat(json).contains("\"name\":\"chat\"").contains("\"rateLimitPerMinute\":30").contains("\"requests\":1")
                .contains("apiKey=xxxxxx").doesNotContain(KEY);
    }
}
