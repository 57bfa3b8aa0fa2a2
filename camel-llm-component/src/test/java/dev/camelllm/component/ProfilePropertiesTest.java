package dev.camelllm.component;

import java.util.Properties;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property paths users write in application.properties, through Camel Main: component options, the
 * component's configuration, and profiles, in kebab-case as in the docs.
 */
class ProfilePropertiesTest extends CamelMainTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("camel.component.llm.provider", "openai");
        p.put("camel.component.llm.max-retries", "2");
        p.put("camel.component.llm.configuration.retry-initial-delay", "250");
        p.put("camel.component.llm.configuration.circuit-breaker", "true");
        p.put("camel.component.llm.profiles[chat].provider", "onnx");
        p.put("camel.component.llm.profiles[chat].max-retries", "5");
        p.put("camel.component.llm.profiles[chat].model-path", "/models/tiny");
        p.put("camel.component.llm.profiles[chat].stream-format", "chunks");
        return p;
    }

    /** The endpoint's options as created, not started (starting would look for the providers). */
    private LlmConfiguration endpoint(String uri) throws Exception {
        return ((LlmEndpoint) context.getComponent("llm").createEndpoint(uri)).getConfiguration();
    }

    @Test
    void componentOptionsAreEveryEndpointsDefaults() throws Exception {
        LlmConfiguration c = endpoint("llm:other");
        assertThat(c.getProvider()).isEqualTo("openai");
        assertThat(c.getMaxRetries()).isEqualTo(2);
        assertThat(c.getRetryInitialDelay()).isEqualTo(250L);
        assertThat(c.isCircuitBreaker()).isTrue();
        assertThat(c.getModelPath()).isNull();
    }

    @Test
    void aProfileLaysItsOptionsOverTheComponents() throws Exception {
        LlmConfiguration c = endpoint("llm:chat");
        assertThat(c.getProvider()).isEqualTo("onnx");
        assertThat(c.getMaxRetries()).isEqualTo(5);
        assertThat(c.getModelPath()).isEqualTo("/models/tiny");
        assertThat(c.getStreamFormat()).isEqualTo("chunks");
        assertThat(c.getRetryInitialDelay()).isEqualTo(250L);
        assertThat(c.isCircuitBreaker()).isTrue();
    }

    @Test
    void theUriWinsOverTheProfile() throws Exception {
        LlmConfiguration c = endpoint("llm:chat?maxRetries=1&streamFormat=text");
        assertThat(c.getMaxRetries()).isEqualTo(1);
        assertThat(c.getStreamFormat()).isEqualTo("text");
        assertThat(c.getProvider()).isEqualTo("onnx");
        assertThat(endpoint("llm:chat").getMaxRetries()).isEqualTo(5);
    }
}
