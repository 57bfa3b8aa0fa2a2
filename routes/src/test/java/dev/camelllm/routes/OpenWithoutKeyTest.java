package dev.camelllm.routes;

import java.util.Properties;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.observability.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/** Opened to the network (camel.server.host=0.0.0.0, as LLM_BIND_HOST does) without a gateway key: a warning at start says so. */
@Timeout(60)
class OpenWithoutKeyTest extends RoutesTestSupport {

    private final LogCapture capture = LogCapture.attach();

    @AfterEach
    void detach() {
        capture.close();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.put("camel.server.host", "0.0.0.0");
        return p;
    }

    @Test
    void theAppWarnsThatItsRoutesAreOpen() throws Exception {
        startWithDirectEntries();

        assertThat(capture.lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.WARN);
            assertThat(l.message()).startsWith("The HTTP server listens on 0.0.0.0 and no gateway key is configured: [/*]")
                    .contains("LLM_GATEWAY_KEY");
        });
    }
}
