package dev.camelllm.examples.streaming;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The example's routes in Camel Main on the tiny local model, the sink swapped for a mock. */
@Timeout(120)
class StreamingAppTest extends CamelMainTestSupport {

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();

    @Override
    protected Class<?> getMainClass() {
        return StreamingApp.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("example.autostart", "false");
        p.put("example.sink", "mock:tokens");
        p.put("camel.component.llm.model-path", ROOT.resolve("models/tiny-chat").toString());
        p.put("camel.component.llm.device", "cpu");
        return p;
    }

    @Test
    void tokensArriveOneByOneAndMakeTheAnswer() {
        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Count to ten"));

        assertThat(out.getException()).isNull();
        MockEndpoint tokens = getMockEndpoint("mock:tokens");
        List<String> deltas = tokens.getExchanges().stream().map(e -> e.getMessage().getBody(String.class)).toList();
        assertThat(deltas).hasSizeGreaterThan(5);
        assertThat(String.join("", deltas)).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
    }
}
