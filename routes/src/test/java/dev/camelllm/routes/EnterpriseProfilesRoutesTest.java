package dev.camelllm.routes;

import java.util.Properties;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's azure and gemini profiles as application.properties defines them (settings a user gives by
 * environment; here by properties, pointed at loopback fakes): Azure OpenAI fails, and its fallback chain
 * answers from Gemini, each in its own wire format.
 */
@Timeout(60)
class EnterpriseProfilesRoutesTest extends RoutesTestSupport {

    private static ScriptedHttpServer gemini;

    @BeforeAll
    static void startGemini() throws Exception {
        gemini = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopGemini() throws Exception {
        gemini.close();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.put("camel.component.llm.profiles[azure].base-url", cloud.baseUrl());
        p.put("camel.component.llm.profiles[azure].model", "gpt4o-prod");
        p.put("camel.component.llm.profiles[azure].api-key", "azure-routes-key-0000");
        p.put("camel.component.llm.profiles[azure].retry-initial-delay", "10");
        p.put("camel.component.llm.profiles[gemini].base-url", gemini.baseUrl() + "/v1beta");
        p.put("camel.component.llm.profiles[gemini].api-key", "gemini-routes-key-0000");
        return p;
    }

    @Test
    void azureFailsAndGeminiAnswers() throws Exception {
        context.start();
        cloud.then(ex -> ex.respond(503, "application/json",
                "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is temporarily unavailable.\"}}"));
        gemini.then(ex -> ex.respond(200, "application/json", "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                + "\"Gemini answer\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
                + "{\"promptTokenCount\":4,\"candidatesTokenCount\":2,\"totalTokenCount\":6},\"modelVersion\":\"gemini-2.5-flash\"}"));

        Exchange out = template.request("llm:azure", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Gemini answer");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("gemini");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("gemini");
        // max-retries=1 on azure: two attempts, both at the v1 path with the api-key header
        assertThat(cloud.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/openai/v1/chat/completions");
            assertThat(r.header("api-key")).isEqualTo("azure-routes-key-0000");
        });
        assertThat(gemini.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
            assertThat(r.header("x-goog-api-key")).isEqualTo("gemini-routes-key-0000");
            assertThat(r.body()).contains("\"text\":\"Hello\"");
        });
    }
}
