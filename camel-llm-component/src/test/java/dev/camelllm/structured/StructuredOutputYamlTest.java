package dev.camelllm.structured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/** outputClass in a YAML route loaded by Camel Main, with the provider set in properties as users write them. */
class StructuredOutputYamlTest extends CamelMainTestSupport {

    static final ScriptedHttpServer SERVER = start();

    private static ScriptedHttpServer start() {
        try {
            return new ScriptedHttpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        SERVER.close();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("classpath:structured/tickets.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("camel.component.llm.profiles[tickets].provider", "openai");
        p.put("camel.component.llm.profiles[tickets].model", "gpt-4o-mini");
        p.put("camel.component.llm.profiles[tickets].api-key", "test-key-yaml-5k2");
        p.put("camel.component.llm.profiles[tickets].base-url", SERVER.baseUrl() + "/v1");
        p.put("camel.component.llm.profiles[tickets].max-retries", "0");
        return p;
    }

    @Test
    void theAnswerBecomesARecordThatChoiceRoutesOn() throws Exception {
        SERVER.reset();
        // the first answer misses a required property: re-asked once, then valid
        SERVER.then(OpenAiWire.answer("{\"category\":\"technical\",\"urgency\":5}"),
                OpenAiWire.answer("{\"category\":\"technical\",\"urgency\":5,\"summary\":\"Login fails with 500\"}"));
        MockEndpoint urgent = getMockEndpoint("mock:urgent-technical");
        urgent.expectedMessageCount(1);
        getMockEndpoint("mock:rest").expectedMessageCount(0);

        var out = template.request("direct:yaml-ticket", e -> e.getMessage().setBody("Login fails with HTTP 500 since 9am!"));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(out.getMessage().getBody()).isEqualTo(new Ticket(Ticket.Category.TECHNICAL, 5, "Login fails with 500"));
        assertThat(out.getMessage().getHeader(LlmConstants.STRUCTURED_OUTPUT_REPAIRS)).isEqualTo(1);
        String feedback = Json.parse(SERVER.requests().get(1).body()).get("messages").get(3).get("content").asText();
        assertThat(feedback).contains("summary");
    }
}
