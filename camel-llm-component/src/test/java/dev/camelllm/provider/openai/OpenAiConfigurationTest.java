package dev.camelllm.provider.openai;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/** What provider=openai needs at route start, and what it takes from the environment. */
@Timeout(30)
class OpenAiConfigurationTest {

    private static CamelContext contextWith(Map<String, String> env, String uri) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        ctx.addComponent("llm", llm);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        return ctx;
    }

    private static LlmConfigurationException startFailure(Map<String, String> env, String uri) throws Exception {
        try (CamelContext ctx = contextWith(env, uri)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(ctx::start);
            assertThat(thrown).as("route start must fail").isNotNull();
            Throwable t = thrown;
            while (t != null && !(t instanceof LlmConfigurationException)) {
                t = t.getCause();
            }
            assertThat(t).as("a LlmConfigurationException in %s", thrown).isNotNull();
            return (LlmConfigurationException) t;
        }
    }

    @Test
    void theDefaultBaseUrlNeedsAKey() throws Exception {
        LlmConfigurationException e = startFailure(Map.of(), "llm:chat?maxRetries=0&provider=openai&model=gpt-4o-mini");

        assertThat(e.getMessage()).contains("'apiKey'").contains("OPENAI_API_KEY").contains("https://api.openai.com/v1");
    }

    @Test
    void theDefaultBaseUrlWrittenOutStillNeedsAKey() throws Exception {
        LlmConfigurationException e = startFailure(Map.of(),
                "llm:chat?maxRetries=0&provider=openai&model=gpt-4o-mini&baseUrl=https://api.openai.com/v1/");

        assertThat(e.getMessage()).contains("'apiKey'");
    }

    @Test
    void aModelIsRequired() throws Exception {
        LlmConfigurationException e = startFailure(Map.of("OPENAI_API_KEY", "k-123456"), "llm:chat?maxRetries=0&provider=openai");

        assertThat(e.getMessage()).contains("'model'").contains("OPENAI_MODEL");
    }

    @Test
    void keyFromTheEnvironmentSatisfiesTheDefaultBaseUrl() throws Exception {
        try (CamelContext ctx = contextWith(Map.of("OPENAI_API_KEY", "k-123456", "OPENAI_MODEL", "gpt-4o-mini"),
                "llm:chat?maxRetries=0&provider=openai")) {
            ctx.start();
            assertThat(ctx.getRouteController().getRouteStatus(ctx.getRoutes().get(0).getRouteId()).isStarted()).isTrue();
        }
    }

    @Test
    void keyAndModelComeFromTheEnvironmentWhenNotSet() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_KEY", OpenAiTestSupport.KEY);
        env.put("OPENAI_MODEL", "gpt-from-env");
        env.put("OPENAI_MAX_TOKENS", "33");
        try (ScriptedHttpServer fake = new ScriptedHttpServer();
             CamelContext ctx = contextWith(env, "llm:chat?maxRetries=0&provider=openai&baseUrl=" + fake.baseUrl() + "/v1")) {
            fake.then(ex -> ex.respond(200, "application/json", OpenAiTestSupport.fixture("chat-text.json")));
            ctx.start();

            String answer = ctx.createProducerTemplate().requestBody("direct:in", "Hi", String.class);

            assertThat(answer).isEqualTo("Hello! How can I assist you today?");
            ScriptedHttpServer.Request request = fake.requests().get(0);
            assertThat(request.header("authorization")).isEqualTo("Bearer " + OpenAiTestSupport.KEY);
            JsonNode body = Json.parse(request.body());
            assertThat(body.get("model").asText()).isEqualTo("gpt-from-env");
            assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(33);
        }
    }

    @Test
    void optionsWinOverTheEnvironment() throws Exception {
        try (ScriptedHttpServer fake = new ScriptedHttpServer();
             CamelContext ctx = contextWith(Map.of("OPENAI_API_KEY", "env-key-000000", "OPENAI_MODEL", "gpt-env"),
                     "llm:chat?maxRetries=0&provider=openai&apiKey=opt-key-111111&model=gpt-opt&maxTokensField=max_tokens&maxTokens=5"
                     + "&baseUrl=" + fake.baseUrl() + "/v1")) {
            fake.then(ex -> ex.respond(200, "application/json", OpenAiTestSupport.fixture("chat-text.json")));
            ctx.start();

            ctx.createProducerTemplate().requestBody("direct:in", "Hi", String.class);

            ScriptedHttpServer.Request request = fake.requests().get(0);
            assertThat(request.header("authorization")).isEqualTo("Bearer opt-key-111111");
            JsonNode body = Json.parse(request.body());
            assertThat(body.get("model").asText()).isEqualTo("gpt-opt");
            assertThat(body.get("max_tokens").asInt()).isEqualTo(5);
            assertThat(body.has("max_completion_tokens")).isFalse();
        }
    }
}
