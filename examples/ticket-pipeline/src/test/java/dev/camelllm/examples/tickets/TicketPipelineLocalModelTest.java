package dev.camelllm.examples.tickets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as a new user runs it: its default provider, the tiny local model, which was never trained to
 * answer JSON. Constrained decoding keeps every answer inside schemas/ticket.json, so each shipped ticket
 * becomes a Ticket and lands in the folder of the category the model chose, as a document the schema accepts.
 * (What the model chooses is not asserted: the tiny model knows nothing of tickets; the shape is the point.)
 */
@Timeout(180)
class TicketPipelineLocalModelTest extends CamelMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CATEGORIES = List.of("billing", "technical", "other");

    @TempDir
    static Path out;

    @Override
    protected Class<?> getMainClass() {
        return TicketPipeline.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("tickets.in", TicketPipelineTest.ROOT.resolve("examples/ticket-pipeline/tickets").toString());
        p.put("tickets.out", out.toString());
        p.put("camel.component.llm.model-path", TicketPipelineTest.ROOT.resolve("models/tiny-chat").toString());
        return p;
    }

    @Test
    void theDefaultLocalModelAnswersEveryTicketWithATicketTheSchemaAccepts() throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> classified().size() == 2);
        for (Path file : classified()) {
            String category = file.getParent().getFileName().toString();
            assertThat(CATEGORIES).as("folder of %s", file).contains(category);
            JsonNode ticket = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(ticket.get("category").asText()).isEqualTo(category);
            assertThat(ticket.get("urgency").isInt()).as("urgency of %s: %s", file, ticket).isTrue();
            assertThat(ticket.get("urgency").asInt()).isBetween(1, 5);
            assertThat(ticket.get("summary").isTextual()).isTrue();
            assertThat(ticket.get("summary").asText().length()).isLessThanOrEqualTo(120);
            assertThat(ticket.size()).as("no property outside the schema: %s", ticket).isEqualTo(3);
        }
        assertThat(classified()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("ticket-1.txt", "ticket-2.txt");
    }

    private static List<Path> classified() throws java.io.IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
