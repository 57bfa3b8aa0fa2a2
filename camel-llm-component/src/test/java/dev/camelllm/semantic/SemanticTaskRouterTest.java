package dev.camelllm.semantic;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.observability.LogCapture;
import dev.camelllm.observability.RequestLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Semantic task routing with the built-in embedding model: prompts that are none of the examples go to the
 * task whose examples they mean, prompts close to none go to the default, a task already set is kept.
 */
@Timeout(120)
class SemanticTaskRouterTest extends CamelTestSupport {

    static final String EMBED = "llm:e?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed";

    SemanticTaskRouter router;

    @Override
    protected RouteBuilder createRouteBuilder() {
        router = new SemanticTaskRouter();
        router.setEmbedUri(EMBED);
        router.setExamples(Map.of(
                "reasoning", "Why is the sky blue?|Explain step by step how compound interest works.|"
                        + "Prove that the square root of two is irrational.|What are the trade-offs between these two designs?",
                "tool_use", List.of("What is the weather in Paris?", "Will it rain in London tomorrow?",
                        "What's the temperature in Berlin right now?"),
                "chat", "Hello!|Hi, how are you?|Thanks, that was helpful.|Good morning"));
        router.setThreshold(0.4);
        router.setDefaultTask("fallback");
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:route").process(router);
                from("direct:notEmbed").setBody(constant(List.of("not a vector")));
            }
        };
    }

    private String taskOf(String prompt) {
        Exchange out = template.request("direct:route", e -> e.getMessage().setBody(prompt));
        assertThat(out.getException()).isNull();
        return out.getMessage().getHeader(SemanticTaskRouter.TASK, String.class);
    }

    @Test
    void promptsGoToTheTaskTheyMean() {
        assertThat(taskOf("Is it going to be sunny in Madrid this weekend?")).isEqualTo("tool_use");
        assertThat(taskOf("How cold is it in Oslo today?")).isEqualTo("tool_use");
        assertThat(taskOf("Explain why the earth has seasons.")).isEqualTo("reasoning");
        assertThat(taskOf("Explain step by step how a mortgage works.")).isEqualTo("reasoning");
        assertThat(taskOf("Hey there, good evening!")).isEqualTo("chat");
        assertThat(taskOf("Thanks a lot, that helped.")).isEqualTo("chat");
    }

    @Test
    void aPromptCloseToNoExampleGoesToTheDefaultAndAGivenTaskIsKept() {
        Exchange far = template.request("direct:route", e -> e.getMessage().setBody("zxqv 7781 blorp"));
        assertThat(far.getMessage().getHeader(SemanticTaskRouter.TASK)).isEqualTo("fallback");
        assertThat(far.getMessage().getHeader(SemanticTaskRouter.SCORE, Double.class)).isLessThan(0.4);
        Exchange given = template.request("direct:route", e -> {
            e.getMessage().setBody("What is the weather in Paris?");
            e.getMessage().setHeader(SemanticTaskRouter.TASK, "chat");
        });
        assertThat(given.getMessage().getHeader(SemanticTaskRouter.TASK)).isEqualTo("chat");
        assertThat(given.getMessage().getHeader(SemanticTaskRouter.SCORE)).isNull();
    }

    @Test
    void thePromptsEmbeddingIsLoggedUnderTheRequestItRoutes() {
        taskOf("warm the examples' index up first");
        try (LogCapture logs = LogCapture.attach()) {
            Exchange out = template.request("direct:route", e -> e.getMessage().setBody("Will it snow in Zurich?"));

            assertThat(out.getException()).isNull();
            assertThat(logs.of(RequestLog.LOGGER)).filteredOn(l -> l.level() == Level.INFO)
                    .singleElement().satisfies(l -> assertThat(l.context())
                            .containsEntry("request_id", out.getExchangeId()).containsEntry("operation", "embeddings")
                            .containsEntry("profile", "e"));
        }
    }

    @Test
    void badSettingsAreRefusedNamingWhatIsWrong() {
        SemanticTaskRouter empty = new SemanticTaskRouter();
        empty.setCamelContext(context);
        assertThatThrownBy(() -> empty.decide("hi")).hasMessageContaining("no examples");
        assertThatThrownBy(() -> empty.addExamples("x", " | ")).hasMessageContaining("task 'x' has no example");
        assertThatThrownBy(() -> empty.setThreshold(2)).hasMessageContaining("-1 to 1");
        SemanticTaskRouter chat = new SemanticTaskRouter();
        chat.setCamelContext(context);
        chat.setEmbedUri("direct:notEmbed");
        chat.addExamples("a", "hello");
        assertThatThrownBy(() -> chat.decide("hi")).hasMessageContaining("operation=embed");
    }
}
