package dev.camelllm.examples.javadsl;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/** The example's routes and properties in Camel Main, on the tiny local model. */
@Timeout(120)
class JavaDslAppTest extends CamelMainTestSupport {

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();

    @Override
    protected Class<?> getMainClass() {
        return JavaDslApp.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("example.autostart", "false");
        p.put("camel.component.llm.model-path", ROOT.resolve("models/tiny-chat").toString());
        p.put("camel.component.llm.device", "cpu");
        return p;
    }

    @Test
    void askAnswersWithTheLocalModel() {
        Exchange out = template.request("direct:ask", e -> e.getMessage().setBody("Say café"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("café ☕ olé");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("onnx");
    }
}
