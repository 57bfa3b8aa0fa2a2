package dev.camelllm.routes;

import java.util.Properties;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * Runs the app's YAML routes and application.properties in Camel Main, with the providers switched by
 * properties (as a user would) to OpenAI-format fakes on loopback: {@code cloud} for the cloud profiles,
 * {@code local} for the default and the local and tool_use profiles. REST entry points are advised to direct: ones.
 */
abstract class RoutesTestSupport extends CamelMainTestSupport {

    protected static final String KEY = "sk-test-routes-000000000000";
    protected static ScriptedHttpServer cloud;
    protected static ScriptedHttpServer local;

    @BeforeAll
    static void startFakes() throws Exception {
        cloud = new ScriptedHttpServer();
        local = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopFakes() throws Exception {
        cloud.close();
        local.close();
    }

    @BeforeEach
    void resetFakes() {
        cloud.reset();
        local.reset();
    }

    @Override
    protected Class<?> getMainClass() {
        return RoutesApp.class;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(RoutesApp.routesIncludePattern(null));
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        // the app's HTTP server on a free loopback port, never the default 8080
        p.put("camel.server.port", String.valueOf(freePort()));
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.component.llm.provider", "openai");
        p.put("camel.component.llm.base-url", local.baseUrl() + "/v1");
        p.put("camel.component.llm.api-key", KEY);
        p.put("camel.component.llm.model", "local-model");
        p.put("camel.component.llm.max-retries", "0");
        p.put("camel.component.llm.profiles[local].provider", "openai");
        p.put("camel.component.llm.profiles[tool_use].provider", "openai");
        p.put("camel.component.llm.profiles[reasoning].provider", "openai");
        for (String cloudProfile : new String[] { "cloud", "cloud-only", "reasoning" }) {
            p.put("camel.component.llm.profiles[" + cloudProfile + "].base-url", cloud.baseUrl() + "/v1");
            p.put("camel.component.llm.profiles[" + cloudProfile + "].model", "cloud-model");
        }
        p.put("camel.component.llm.profiles[cloud].retry-initial-delay", "10");
        return p;
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** Replaces each REST entry point with direct:ROUTE_ID, then starts Camel. */
    protected void startWithDirectEntries(String... routeIds) throws Exception {
        for (String id : routeIds) {
            AdviceWith.adviceWith(context, id, a -> a.replaceFromWith("direct:" + id));
        }
        context.start();
    }

    protected static String completion(String model, String text) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}";
    }
}
