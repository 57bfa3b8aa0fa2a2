package dev.camelllm.examples.tickets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example as shipped (its YAML route, properties and sample tickets) on the tiny local model. */
@Timeout(120)
class TicketPipelineTest extends CamelMainTestSupport {

    @TempDir
    static Path out;

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();

    @Override
    protected Class<?> getMainClass() {
        return TicketPipeline.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("tickets.in", ROOT.resolve("examples/ticket-pipeline/tickets").toString());
        p.put("tickets.out", out.toString());
        p.put("camel.component.llm.model-path", ROOT.resolve("models/tiny-chat").toString());
        p.put("camel.component.llm.device", "cpu");
        return p;
    }

    @Test
    void shippedTicketsAreClassified() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(out.resolve("ticket-1.txt"))
                && Files.isRegularFile(out.resolve("ticket-2.txt")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Files.readString(out.resolve("ticket-1.txt"), StandardCharsets.UTF_8)).isEqualTo("billing");
            assertThat(Files.readString(out.resolve("ticket-2.txt"), StandardCharsets.UTF_8)).isEqualTo("technical");
        });
    }
}
