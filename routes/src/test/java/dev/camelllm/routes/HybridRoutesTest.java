package dev.camelllm.routes;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/hybrid.yaml and routes/tools.yaml with the app's profiles: the local and tool_use profiles on the
 * REAL tiny model (models/tiny-chat, its exact trained answers), reasoning on the cloud fake. Each task
 * reaches the provider its profile names; the tool loop calls the get_weather route.
 */
@Timeout(120)
class HybridRoutesTest extends RoutesTestSupport {

    static String tinyModel() {
        return Path.of(System.getProperty("camel.llm.repoRoot", ".."), "models", "tiny-chat").toAbsolutePath()
                .normalize().toString();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        for (String profile : new String[] { "local", "tool_use" }) {
            p.put("camel.component.llm.profiles[" + profile + "].provider", "onnx");
            p.put("camel.component.llm.profiles[" + profile + "].model-path", tinyModel());
            p.put("camel.component.llm.profiles[" + profile + "].device", "cpu");
        }
        p.put("camel.component.llm.profiles[reasoning].model", "reasoning-model");
        p.put("camel.component.llm.profiles[reasoning].retry-initial-delay", "10");
        return p;
    }

    private Exchange ask(String task, String prompt) {
        return template.request("direct:ask", e -> {
            e.getMessage().setBody(prompt);
            if (task != null) {
                e.getMessage().setHeader("X-Task", task);
            }
        });
    }

    @Test
    void chatGoesToTheLocalModel() throws Exception {
        startWithDirectEntries("ask");

        Exchange out = ask("chat", "Hello");
        Exchange noTask = ask(null, "Say café");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Hello! How can I help you today?");
        assertThat(out.getMessage().getHeader("X-Llm-Answered-By", String.class)).startsWith("onnx/");
        assertThat(noTask.getMessage().getBody(String.class)).isEqualTo("café ☕ olé");
        assertThat(cloud.requests()).isEmpty();
        assertThat(local.requests()).isEmpty();
    }

    @Test
    void reasoningGoesToTheCloudProfile() throws Exception {
        startWithDirectEntries("ask");
        cloud.then(ex -> ex.respond(200, "application/json", completion("reasoning-model", "Rayleigh scattering.")));

        Exchange out = ask("reasoning", "Why is the sky blue?");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Rayleigh scattering.");
        assertThat(cloud.requests()).hasSize(1);
        assertThat(cloud.requests().get(0).body()).contains("\"model\":\"reasoning-model\"")
                .contains("Why is the sky blue?");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isNull();
    }

    @Test
    void withoutXTaskTheTaskIsChosenFromThePromptsMeaning() throws Exception {
        startWithDirectEntries("ask");
        cloud.then(ex -> ex.respond(200, "application/json", completion("reasoning-model", "Axial tilt.")));

        Exchange reasoning = ask(null, "Explain step by step how a mortgage works.");
        Exchange chat = ask(null, "Hi there, good morning!");

        assertThat(reasoning.getException()).isNull();
        assertThat(reasoning.getMessage().getBody(String.class)).isEqualTo("Axial tilt.");
        assertThat(reasoning.getMessage().getHeader("CamelLlmTaskScore", Double.class)).isGreaterThan(0.45);
        assertThat(cloud.requests()).hasSize(1);
        assertThat(chat.getException()).isNull();
        assertThat(chat.getMessage().getHeader("X-Llm-Answered-By", String.class)).startsWith("onnx/");
        assertThat(cloud.requests()).hasSize(1);
    }

    @Test
    void reasoningFallsBackToTheLocalModelWhenTheCloudFails() throws Exception {
        startWithDirectEntries("ask");
        String overloaded = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";
        cloud.then(ex -> ex.respond(503, "application/json", overloaded),
                ex -> ex.respond(503, "application/json", overloaded));

        Exchange out = ask("reasoning", "Count to ten");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("local");
        assertThat(cloud.requests()).hasSize(2);
    }

    @Test
    void toolUseGoesToItsProfile() throws Exception {
        startWithDirectEntries("ask");

        Exchange out = ask("tool_use", "Count to ten");

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("onnx");
        assertThat(cloud.requests()).isEmpty();
    }

    @Test
    void weatherRouteRunsTheToolLoopThroughTheCamelRoute() throws Exception {
        startWithDirectEntries("weather");

        Exchange out = template.request("direct:weather", e -> e.getMessage().setBody("What is the weather in Paris?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("It is 18°C and sunny in Paris.");
        assertThat(out.getMessage().getHeader("X-Llm-Tool-Rounds")).isEqualTo(1);
        assertThat(cloud.requests()).isEmpty();
    }
}
