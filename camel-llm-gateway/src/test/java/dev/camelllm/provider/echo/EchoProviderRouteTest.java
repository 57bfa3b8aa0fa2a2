package dev.camelllm.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.component.LlmConstants;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider defined only in these test sources (one package and its services line) answers through an
 * llm: route, with its own option from the URI, plain and streamed.
 */
@Timeout(30)
class EchoProviderRouteTest {

    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to("llm:x?provider=echo&provider.suffix=!");
                from("direct:stream").to("llm:y?provider=echo&provider.suffix=?&stream=true&streamFormat=chunks")
                        .split(body(), AggregationStrategies.flexible(Object.class).accumulateInCollection(ArrayList.class))
                        .streaming()
                        .setBody(body())
                        .end();
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void answersThroughARouteWithItsOwnOption() {
        var exchange = context.createProducerTemplate().request("direct:chat", e -> e.getIn().setBody("hello there"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("HELLO THERE!");
        assertThat(exchange.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("echo");
    }

    @Test
    void streamsThroughARoute() {
        Object body = context.createProducerTemplate().requestBody("direct:stream", "one two three");

        assertThat(body).isInstanceOf(List.class);
        List<String> texts = new ArrayList<>();
        for (Object chunk : (List<?>) body) {
            if (chunk instanceof ChatChunk.TextDelta t) {
                texts.add(t.text());
            }
        }
        assertThat((List<?>) body).last().isInstanceOf(ChatChunk.Finish.class);
        assertThat(texts).containsExactly("ONE ", "TWO ", "THREE?");
    }
}
